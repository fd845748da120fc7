using BatchSync.Application.Common;
using BatchSync.Infrastructure.Persistence;
using BatchSync.Infrastructure.Persistence.Writing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace BatchSync.UnitTests.Infrastructure;

/// <summary>
/// The writer's own checkpoint around its commits, on a real SQLite file in WAL mode: whether a commit
/// copied the log into the database file shows in the file's size.
/// </summary>
public sealed class WriterCheckpointTests : IDisposable
{
    private const int CheckpointPages = 64;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"batchsync-writer-checkpoint-{Guid.NewGuid():N}");
    private readonly SqliteDatabase _database;
    private readonly SqliteConnection _writer;
    private readonly WriterCheckpoint _checkpoint;

    public WriterCheckpointTests()
    {
        _database = new SqliteDatabase(Options.Create(new BatchSyncOptions { DataDirectory = _folder }));
        _database.CreateIfMissing();
        _writer = _database.OpenWriteConnection();
        Execute("CREATE TABLE t (v BLOB NOT NULL)");

        // A small log limit, so that a few thousand rows are far past it.
        Execute($"PRAGMA wal_autocheckpoint = {CheckpointPages}");
        _checkpoint = new WriterCheckpoint(_writer);
    }

    [Fact]
    public void Commit_LargeTransaction_LeavesItsPagesInTheLog_TheNextCommitCopiesThem()
    {
        var skipped = Transaction(WriterCheckpoint.LargeCommitRows);

        Assert.True(skipped);
        Assert.True(DatabaseFileBytes < 256 * 1024, $"the large commit copied its pages: the database file holds {DatabaseFileBytes} bytes");
        Assert.Equal(CheckpointPages, Scalar("PRAGMA wal_autocheckpoint"));

        Assert.False(Transaction(1));
        Assert.True(DatabaseFileBytes > WriterCheckpoint.LargeCommitRows * 100L, $"the next commit did not checkpoint: {DatabaseFileBytes} bytes");
        Assert.Equal(WriterCheckpoint.LargeCommitRows + 1L, Scalar("SELECT COUNT(*) FROM t"));
    }

    [Fact]
    public void Commit_BelowTheLargeSize_CheckpointsAsItGoes()
    {
        var skipped = Transaction(WriterCheckpoint.LargeCommitRows - 1);

        Assert.False(skipped);
        Assert.True(DatabaseFileBytes > (WriterCheckpoint.LargeCommitRows - 1) * 100L, $"the commit did not checkpoint: {DatabaseFileBytes} bytes");
    }

    [Fact]
    public void Commit_Fails_TheCheckpointSizeIsRestored()
    {
        _checkpoint.Begun();
        Execute($"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {WriterCheckpoint.LargeCommitRows}) INSERT INTO t (v) SELECT randomblob(120) FROM n");

        Assert.Throws<SqliteException>(() => _checkpoint.Commit(() => Execute("COMMIT")));
        Assert.Equal(CheckpointPages, Scalar("PRAGMA wal_autocheckpoint"));
    }

    public void Dispose()
    {
        _writer.Dispose();
        _database.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private long DatabaseFileBytes => new FileInfo(_database.DatabasePath).Length;

    /// <summary>A transaction of that many rows of 120 bytes, committed through the checkpoint; true when it skipped.</summary>
    private bool Transaction(int rows)
    {
        Execute("BEGIN IMMEDIATE");
        _checkpoint.Begun();
        Execute($"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows}) INSERT INTO t (v) SELECT randomblob(120) FROM n");
        return _checkpoint.Commit(() => Execute("COMMIT"));
    }

    private void Execute(string sql)
    {
        using var command = _writer.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private long Scalar(string sql)
    {
        using var command = _writer.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
