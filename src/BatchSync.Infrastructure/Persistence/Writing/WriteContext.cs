using BatchSync.Application.Sync;
using Microsoft.Data.Sqlite;

namespace BatchSync.Infrastructure.Persistence.Writing;

/// <summary>
/// What every item of the write queue is handed on the writer thread: the statements prepared on the
/// writer's connection, the session rows and log appends that run them, and the writer's own checkpoint.
/// Lives as long as the writer.
/// </summary>
internal sealed class WriteContext : IDisposable
{
    public WriteContext(SqliteConnection connection, LogCalendar calendar, string spillFolder)
    {
        Statements = new SqliteStatements(connection);
        Sessions = new SqliteSessionRows(Statements);
        Logs = new SqliteLogAppender(connection, Statements, calendar, spillFolder);
        Checkpoint = new WriterCheckpoint(connection);
    }

    public SqliteStatements Statements { get; }

    public SqliteSessionRows Sessions { get; }

    public SqliteLogAppender Logs { get; }

    public WriterCheckpoint Checkpoint { get; }

    public void Dispose()
    {
        Statements.Dispose();
        Logs.Dispose();
    }
}
