using BatchSync.Application.Common;
using BatchSync.Infrastructure.LogFiles;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BatchSync.Infrastructure.Persistence.PostgreSql;

/// <summary>
/// The PostgreSQL database (one pool of connections for the whole process) and the data folder the
/// instances share for the dated log files.
/// </summary>
internal sealed class PostgresDatabase : IAsyncDisposable
{
    public PostgresDatabase(IOptions<BatchSyncOptions> options, IOptions<StorageOptions> storage)
    {
        DataDirectory = Path.GetFullPath(options.Value.DataDirectory);
        LogFilePaths = new LogFilePaths(DataDirectory);
        var builder = new NpgsqlConnectionStringBuilder(storage.Value.ConnectionString)
        {
            // Temporary staging tables and prepared statements outlive a connection's return to the pool;
            // nothing on these connections holds a lock past its transaction.
            NoResetOnClose = true,
            MaxAutoPrepare = Math.Max(new NpgsqlConnectionStringBuilder(storage.Value.ConnectionString).MaxAutoPrepare, 64),
            AutoPrepareMinUsages = 2,
        };
        ConnectionString = builder.ConnectionString;
        DataSource = new NpgsqlDataSourceBuilder(ConnectionString).Build();

        // Session-level locks go through connections that are reset on their return to the pool
        // (DISCARD ALL releases every advisory lock), so no failure path can leave a lock held.
        LockSource = Named(storage.Value.ConnectionString, "batchsync-locks");

        // A completion reads its staged parts here while its transaction holds a connection of the main
        // pool: a pool of its own, so completions can never all hold the one and wait for a second.
        StagedSource = Named(ConnectionString, "batchsync-staged");
    }

    public string DataDirectory { get; }

    public LogFilePaths LogFilePaths { get; }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>For work that holds a session-level advisory lock.</summary>
    public NpgsqlDataSource LockSource { get; }

    /// <summary>For reading staged parts beside a unit of work's transaction.</summary>
    public NpgsqlDataSource StagedSource { get; }

    /// <summary>A pool of its own for <paramref name="connectionString"/>, told apart in PostgreSQL by its application name.</summary>
    private static NpgsqlDataSource Named(string? connectionString, string applicationName) =>
        new NpgsqlDataSourceBuilder(new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = applicationName }.ConnectionString).Build();

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await LockSource.DisposeAsync();
        await StagedSource.DisposeAsync();
    }
}
