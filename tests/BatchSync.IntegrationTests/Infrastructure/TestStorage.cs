using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using BatchSync.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace BatchSync.IntegrationTests.Infrastructure;

/// <summary>
/// The database behind a test server's data folder: its SQLite file, or, when the suite is built for
/// PostgreSQL, a database of its own on the suite's PostgreSQL server, created on first use.
/// </summary>
internal static class TestStorage
{
    private static readonly ConcurrentDictionary<string, string> Databases = new(StringComparer.Ordinal);

#if POSTGRESQL
    public static bool IsPostgreSql => true;
#else
    public static bool IsPostgreSql => false;
#endif

    [ModuleInitializer]
    internal static void UseForServerProcesses() => ServerProcess.StorageSettings = SettingsFor;

    /// <summary>What a server on this data folder must be told about its database.</summary>
    public static IReadOnlyDictionary<string, string> SettingsFor(string dataDirectory) => IsPostgreSql
        ? new Dictionary<string, string>
        {
            ["BatchSync:Storage:Provider"] = "PostgreSQL",
            ["ConnectionStrings:BatchSync"] = ConnectionStringFor(dataDirectory),
        }
        : new Dictionary<string, string>();

    public static string ConnectionStringFor(string dataDirectory) =>
        Databases.GetOrAdd(Path.GetFullPath(dataDirectory), _ => PostgresServer.CreateDatabase());

    /// <summary>A connection to the data folder's database, for reading what the server stored.</summary>
    public static DbConnection Open(string dataDirectory)
    {
        DbConnection connection = IsPostgreSql
            // No pooling on the tests' side: a restarted server leaves no dead connection behind in a pool.
            ? new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionStringFor(dataDirectory)) { Pooling = false }.ConnectionString)
            : new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "batchsync.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return connection;
    }

    /// <summary>A command with one parameter <c>@p</c>, as both providers spell it.</summary>
    public static DbCommand Command(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
