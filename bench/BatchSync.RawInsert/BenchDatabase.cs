using Microsoft.Data.Sqlite;

namespace BatchSync.RawInsert;

/// <summary>A fresh SQLite file set up for the fastest insert in one transaction: the server's writer pragmas, with larger pages and cache.</summary>
internal sealed class BenchDatabase : IDisposable
{
    /// <summary>
    /// 16 KiB pages: what inserts fastest in one transaction, the ceiling measured against. The server
    /// creates its databases with 4 KiB pages, which write less in its many small commits; with them (and
    /// its 16 MB writer cache) this bench gives about half the figure (ADR 004).
    /// </summary>
    private const string Create = "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL;";

    /// <summary>The server's writer pragmas (SqliteDatabase.OpenWriteConnection: its own checkpoint at 64 MB of log), but a 32 MB cache and every commit synced.</summary>
    private const string Writer =
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; " +
        "PRAGMA cache_size = -32768; PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 4096; " +
        "PRAGMA journal_size_limit = 67108864;";

    private static readonly string[] Reported =
        ["page_size", "journal_mode", "synchronous", "foreign_keys", "cache_size", "temp_store", "wal_autocheckpoint", "journal_size_limit"];

    private readonly string _path;

    public BenchDatabase(string path)
    {
        _path = path;
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Cache = SqliteCacheMode.Private,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString();
        using (var create = new SqliteConnection(connectionString))
        {
            create.Open();
            Execute(create, Create);
        }

        Connection = new SqliteConnection(connectionString);
        Connection.Open();
        Execute(Connection, Writer);
    }

    public SqliteConnection Connection { get; }

    /// <summary>The database file's size once its write-ahead log is copied in and emptied, in bytes.</summary>
    public long CheckpointedBytes()
    {
        Execute(Connection, "PRAGMA wal_checkpoint(TRUNCATE)");
        return new FileInfo(_path).Length;
    }

    public string Version() => Scalar("select sqlite_version()");

    /// <summary>The pragmas as the connection reports them, e.g. <c>synchronous=2</c> (FULL).</summary>
    public string Pragmas() => string.Join(' ', Reported.Select(p => $"{p}={Named(p, Scalar($"PRAGMA {p}"))}"));

    public void Execute(string sql) => Execute(Connection, sql);

    public long Count(string table) => long.Parse(Scalar($"SELECT count(*) FROM {table}"), System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose()
    {
        Connection.Dispose();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm", _path + "-journal" })
        {
            File.Delete(file);
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string Named(string pragma, string value) => (pragma, value) switch
    {
        ("synchronous", "0") => "OFF",
        ("synchronous", "1") => "NORMAL",
        ("synchronous", "2") => "FULL",
        ("synchronous", "3") => "EXTRA",
        ("temp_store", "1") => "FILE",
        ("temp_store", "2") => "MEMORY",
        _ => value,
    };

    private string Scalar(string sql)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }
}
