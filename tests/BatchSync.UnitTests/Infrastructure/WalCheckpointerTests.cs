using BatchSync.Application.Common;
using BatchSync.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BatchSync.UnitTests.Infrastructure;

/// <summary>The checkpoints beside the writer, on a real SQLite file in WAL mode.</summary>
public sealed class WalCheckpointerTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"batchsync-checkpoint-{Guid.NewGuid():N}");

    [Fact]
    public async Task Run_CopiesWhatTheWriterCommittedIntoTheDatabaseFile_WhileTheWriterKeepsItsLog()
    {
        using var database = new SqliteDatabase(Options.Create(new BatchSyncOptions { DataDirectory = _folder }));
        database.CreateIfMissing();
        using var writer = database.OpenWriteConnection();
        Execute(writer, "CREATE TABLE t (v BLOB NOT NULL)");
        for (var i = 0; i < 8; i++)
        {
            Execute(writer, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 128) INSERT INTO t (v) SELECT randomblob(1000) FROM n");
        }

        // A megabyte committed, far below the writer's own checkpoint: it is all in the log, none in the file.
        var before = new FileInfo(database.DatabasePath).Length;
        Assert.True(before < 256 * 1024, $"the database file held {before} bytes before any checkpoint");

        using var checkpointer = new WalCheckpointer(database, NullLogger<WalCheckpointer>.Instance);
        await checkpointer.StartAsync(CancellationToken.None);
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (new FileInfo(database.DatabasePath).Length < 1_000_000 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
        finally
        {
            await checkpointer.StopAsync(CancellationToken.None);
        }

        Assert.True(new FileInfo(database.DatabasePath).Length >= 1_000_000, "the committed pages were not copied into the database file");
        Execute(writer, "INSERT INTO t (v) VALUES (x'00')");
        Assert.Equal(1025L, Scalar(writer, "SELECT COUNT(*) FROM t"));
    }

    [Theory]
    [InlineData(null, 16_384L)]
    [InlineData(16_384, 4_096L)]
    public void WriteConnection_CheckpointsItselfAt64MBOfLog_WhateverThePageSize(int? existingPageSize, long pages)
    {
        using var database = new SqliteDatabase(Options.Create(new BatchSyncOptions { DataDirectory = _folder }));
        if (existingPageSize is { } size)
        {
            // A database an earlier version created with larger pages keeps them.
            Directory.CreateDirectory(_folder);
            using var create = new SqliteConnection(database.ConnectionString);
            create.Open();
            Execute(create, $"PRAGMA page_size = {size}; PRAGMA journal_mode = WAL; CREATE TABLE t (v BLOB)");
        }

        database.CreateIfMissing();
        using var writer = database.OpenWriteConnection();

        Assert.Equal(SqliteDatabase.WriterCheckpointBytes / pages, Scalar(writer, "PRAGMA page_size"));
        Assert.Equal(pages, Scalar(writer, "PRAGMA wal_autocheckpoint"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
