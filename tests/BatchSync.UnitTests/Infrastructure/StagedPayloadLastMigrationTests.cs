using BatchSync.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace BatchSync.UnitTests.Infrastructure;

/// <summary>The rebuild of <c>batch_parts</c> that puts the staged records last, on a real SQLite file.</summary>
public sealed class StagedPayloadLastMigrationTests : IDisposable
{
    private const string Before = "20261202070941_StagedPartFirstTimestamp";
    private const string Parts =
        "SELECT sync_id, part_number, record_count, checksum, content_hash, received_at, first_timestamp, hex(payload) FROM batch_parts ORDER BY part_number";

    private readonly string _path = Path.Combine(Path.GetTempPath(), $"batchsync-migration-{Guid.NewGuid():N}.db");

    [Fact]
    public void Up_KeepsEveryPartAndPutsThePayloadLast()
    {
        using (var db = Context())
        {
            db.GetService<IMigrator>().Migrate(Before);
        }

        Execute(
            "INSERT INTO sync_sessions (sync_id, device_id, user_name, total_parts, status, created_at, updated_at) " +
            "VALUES ('s1', 'd1', 'u1', 3, 'Open', 1, 2)");
        Execute(
            "INSERT INTO batch_parts (sync_id, part_number, record_count, content_hash, received_at, payload, checksum, first_timestamp) VALUES " +
            "('s1', 1, 100, 'sha256:aa', 10, randomblob(70000), 'sha256:c1', 1700000000000), " +
            "('s1', 2, 0, 'sha256:bb', 11, NULL, '', NULL)");
        var before = Rows(Parts);
        Assert.Equal("checksum", Rows("SELECT name FROM pragma_table_info('batch_parts') ORDER BY cid")[^2][0]);

        using (var db = Context())
        {
            db.Database.Migrate();
        }

        Assert.Equal(before, Rows(Parts));
        var columns = Rows("SELECT name FROM pragma_table_info('batch_parts') ORDER BY cid").Select(r => r[0]).ToList();
        Assert.Equal(["sync_id", "part_number", "record_count", "checksum", "content_hash", "received_at", "first_timestamp", "payload"], columns);

        // The key, the checksum's default and the cascade from the session hold as before.
        Assert.Throws<SqliteException>(() => Execute("INSERT INTO batch_parts (sync_id, part_number, record_count, content_hash, received_at) VALUES ('s1', 1, 1, 'x', 1)"));
        Execute("INSERT INTO batch_parts (sync_id, part_number, record_count, content_hash, received_at) VALUES ('s1', 3, 1, 'x', 1)");
        Assert.Equal("", Rows("SELECT checksum FROM batch_parts WHERE part_number = 3")[0][0]);
        Assert.Throws<SqliteException>(() => Execute("INSERT INTO batch_parts (sync_id, part_number, record_count, content_hash, received_at) VALUES ('nobody', 1, 1, 'x', 1)"));
        Execute("DELETE FROM sync_sessions WHERE sync_id = 's1'");
        Assert.Empty(Rows(Parts));
    }

    [Fact]
    public void Down_KeepsEveryPartInTheEarlierColumnOrder()
    {
        using (var db = Context())
        {
            db.Database.Migrate();
        }

        Execute(
            "INSERT INTO sync_sessions (sync_id, device_id, user_name, total_parts, status, created_at, updated_at) " +
            "VALUES ('s1', 'd1', 'u1', 2, 'Open', 1, 2)");
        Execute(
            "INSERT INTO batch_parts (sync_id, part_number, record_count, content_hash, received_at, payload, checksum, first_timestamp) " +
            "VALUES ('s1', 1, 100, 'sha256:aa', 10, randomblob(70000), 'sha256:c1', 1700000000000)");
        var after = Rows(Parts);

        using (var db = Context())
        {
            db.GetService<IMigrator>().Migrate(Before);
        }

        Assert.Equal(after, Rows(Parts));
        var columns = Rows("SELECT name FROM pragma_table_info('batch_parts') ORDER BY cid").Select(r => r[0]).ToList();
        Assert.Equal(["sync_id", "part_number", "record_count", "content_hash", "received_at", "payload", "checksum", "first_timestamp"], columns);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }

    private BatchSyncDbContext Context() =>
        new(new DbContextOptionsBuilder<BatchSyncDbContext>().UseSqlite($"Data Source={_path}").Options);

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_path};Foreign Keys=True");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private List<object?[]> Rows(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            reader.GetValues(row!);
            rows.Add(row);
        }

        return rows;
    }
}
