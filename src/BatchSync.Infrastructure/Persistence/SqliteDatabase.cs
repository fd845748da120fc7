using BatchSync.Application.Common;
using BatchSync.Infrastructure.LogFiles;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace BatchSync.Infrastructure.Persistence;

/// <summary>Where the store lives: the data folder, the SQLite file in it, and how connections are opened.</summary>
internal sealed class SqliteDatabase
{
    public SqliteDatabase(IOptions<BatchSyncOptions> options)
    {
        DataDirectory = Path.GetFullPath(options.Value.DataDirectory);
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(DataDirectory, "batchsync.db"),
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        LogFilePaths = new LogFilePaths(DataDirectory);
    }

    public string DataDirectory { get; }

    public string ConnectionString { get; }

    public LogFilePaths LogFilePaths { get; }

    /// <summary>
    /// The writer's connection. WAL lets readers go on while it writes; synchronous=NORMAL in WAL mode
    /// loses nothing when the process dies, only (at worst) the last commits on a power cut. Most
    /// checkpointing is done beside the writer by <see cref="WalCheckpointer"/>, so commits stay short;
    /// the writer's own checkpoint, every 32 MB of log, finds little left to copy and lets the log
    /// start over.
    /// </summary>
    public SqliteConnection OpenWriteConnection()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        using var pragmas = connection.CreateCommand();
        pragmas.CommandText =
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; " +
            "PRAGMA cache_size = -32768; PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 8192; " +
            "PRAGMA journal_size_limit = 67108864;";
        pragmas.ExecuteNonQuery();
        return connection;
    }
}
