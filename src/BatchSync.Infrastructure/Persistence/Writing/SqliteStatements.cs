using Microsoft.Data.Sqlite;

namespace BatchSync.Infrastructure.Persistence.Writing;

/// <summary>
/// The statements of the writer's connection, each prepared at its first use and reused after, found
/// by their SQL. Everything the writer runs through ADO.NET runs here; the log rows go through
/// <see cref="LogRowInserter"/>.
/// </summary>
internal sealed class SqliteStatements(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = [];

    public void Execute(string sql) => Command(sql).ExecuteNonQuery();

    public SqliteCommand Command(string sql, params string[] parameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var name in parameters)
            {
                command.Parameters.Add(new SqliteParameter(name, null));
            }

            command.Prepare();
            _commands[sql] = command;
        }

        return command;
    }

    /// <summary>Sets the command's parameters in their order; null is SQL NULL.</summary>
    public static void Bind(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    public static long Millis(DateTime time) => UnixMillisecondsConverter.ToUnixMilliseconds(time);

    public static DateTime Time(long millis) => UnixMillisecondsConverter.FromUnixMilliseconds(millis);

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
    }
}
