using System.Globalization;
using BatchSync.Application.Common;
using BatchSync.Infrastructure.LogFiles;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace BatchSync.Infrastructure.Persistence;

/// <summary>Where the store lives: the data folder, the SQLite file in it, and how connections are opened.</summary>
internal sealed class SqliteDatabase : IDisposable
{
    /// <summary>How much write-ahead log the writer lets grow before it checkpoints itself.</summary>
    public const long WriterCheckpointBytes = 64 * 1024 * 1024;

    private FileStream? _lock;

    public SqliteDatabase(IOptions<BatchSyncOptions> options)
    {
        DataDirectory = Path.GetFullPath(options.Value.DataDirectory);
        DatabasePath = Path.Combine(DataDirectory, "batchsync.db");
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        LogFilePaths = new LogFilePaths(DataDirectory);
    }

    public string DataDirectory { get; }

    /// <summary>The SQLite file; its write-ahead log is this path with <c>-wal</c>.</summary>
    public string DatabasePath { get; }

    public string ConnectionString { get; }

    public LogFilePaths LogFilePaths { get; }

    /// <summary>
    /// Takes the data folder for this process alone (an advisory lock on <c>batchsync.lock</c>, released
    /// by the kernel even when the process is killed): the server's one-writer design, and a rebuild
    /// of the log files, both assume nobody else writes there.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another process holds the data folder.</exception>
    public void Lock()
    {
        Directory.CreateDirectory(DataDirectory);
        if (_lock is not null)
        {
            return;
        }

        try
        {
            _lock = new FileStream(Path.Combine(DataDirectory, "batchsync.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException(
                $"The data folder {DataDirectory} is in use by another BatchSync process; stop it first.", e);
        }
    }

    public void Dispose()
    {
        _lock?.Dispose();
        _lock = null;
    }

    /// <summary>
    /// Creates a new database with 4 KiB pages before anything else touches it. Every commit writes each
    /// page it changed whole to the write-ahead log, and the writer commits small groups hundreds of
    /// times a second: with 16 KiB pages it wrote 2.4 KB a stored record, with 4 KiB 1.75 KB (ADR 004).
    /// The page size of an existing database is left as it is.
    /// </summary>
    public void CreateIfMissing()
    {
        Directory.CreateDirectory(DataDirectory);
        if (File.Exists(Path.Combine(DataDirectory, "batchsync.db")))
        {
            return;
        }

        using var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        using var create = connection.CreateCommand();
        create.CommandText = "PRAGMA page_size = 4096; PRAGMA journal_mode = WAL;";
        create.ExecuteNonQuery();
    }

    /// <summary>
    /// The writer's connection. WAL lets readers go on while it writes. Its commits do not sync the log
    /// (synchronous=NORMAL: atomic and in order, a power cut may take the last ones); the writer's
    /// <see cref="Writing.WalFlusher"/> syncs it beside the writer and only then answers, so an
    /// acknowledged part or completion survives a power cut, not only a killed process.
    /// Pages are copied into the database file beside the writer by <see cref="WalCheckpointer"/>, so the
    /// writer's thread, the server's bound, rarely copies pages or waits for them to sync. The writer's own
    /// checkpoint comes at 64 MB of log (16,384 pages of 4 KiB): under a steady load that is where the log
    /// starts over, with little left to copy by then. Its page cache is 16 MB: 32 MB took 20 - 40 MB more of the server's
    /// peak memory in a big sync (with 16 KiB pages, and their bookkeeping), and was no faster (ADR 004).
    /// </summary>
    public SqliteConnection OpenWriteConnection()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        using var pragmas = connection.CreateCommand();
        pragmas.CommandText =
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; " +
            "PRAGMA cache_size = -16384; PRAGMA temp_store = MEMORY; PRAGMA journal_size_limit = 67108864;";
        pragmas.ExecuteNonQuery();

        // In pages: a database kept with larger pages checkpoints at the same size of log.
        pragmas.CommandText = "PRAGMA page_size";
        var pageSize = Convert.ToInt64(pragmas.ExecuteScalar(), CultureInfo.InvariantCulture);
        pragmas.CommandText = $"PRAGMA wal_autocheckpoint = {WriterCheckpointBytes / pageSize}";
        pragmas.ExecuteNonQuery();
        return connection;
    }
}
