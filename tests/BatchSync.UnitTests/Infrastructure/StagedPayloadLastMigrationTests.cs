using Microsoft.Data.Sqlite;

namespace BatchSync.UnitTests.Infrastructure;

/// <summary>The rebuild of <c>batch_parts</c> that puts the staged records last, on a real SQLite file.</summary>
public sealed class StagedPayloadLastMigrationTests : IDisposable
{
    private const string Before = "20261202070941_StagedPartFirstTimestamp";
    private const string Migration = "20261203131500_StagedPayloadLast";
    private const string Parts =
        "SELECT sync_id, part_number, record_count, checksum, content_hash, received_at, first_timestamp, hex(payload) FROM batch_parts ORDER BY part_number";

    private readonly MigrationTestFile _file = new();

    [Fact]
    public void Up_KeepsEveryPartAndPutsThePayloadLast()
    {
        _file.MigrateTo(Before);

        Execute(
            "INSERT INTO sync_sessions (sync_id, device_id, user_name, total_parts, status, created_at, updated_at) " +
            "VALUES ('s1', 'd1', 'u1', 3, 'Open', 1, 2)");
        Execute(
            "INSERT INTO batch_parts (sync_id, part_number, record_count, content_hash, received_at, payload, checksum, first_timestamp) VALUES " +
            "('s1', 1, 100, 'sha256:aa', 10, randomblob(70000), 'sha256:c1', 1700000000000), " +
            "('s1', 2, 0, 'sha256:bb', 11, NULL, '', NULL)");
        var before = Rows(Parts);
        Assert.Equal("checksum", Rows("SELECT name FROM pragma_table_info('batch_parts') ORDER BY cid")[^2][0]);

        _file.MigrateTo(Migration);

        Assert.Equal(before, Rows(Parts));
        var columns = _file.Columns("batch_parts");
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
        _file.MigrateTo(Migration);

        Execute(
            "INSERT INTO sync_sessions (sync_id, device_id, user_name, total_parts, status, created_at, updated_at) " +
            "VALUES ('s1', 'd1', 'u1', 2, 'Open', 1, 2)");
        Execute(
            "INSERT INTO batch_parts (sync_id, part_number, record_count, content_hash, received_at, payload, checksum, first_timestamp) " +
            "VALUES ('s1', 1, 100, 'sha256:aa', 10, randomblob(70000), 'sha256:c1', 1700000000000)");
        var after = Rows(Parts);

        _file.MigrateTo(Before);

        Assert.Equal(after, Rows(Parts));
        var columns = _file.Columns("batch_parts");
        Assert.Equal(["sync_id", "part_number", "record_count", "content_hash", "received_at", "payload", "checksum", "first_timestamp"], columns);
    }

    public void Dispose() => _file.Dispose();

    private void Execute(string sql) => _file.Execute(sql);

    private List<object?[]> Rows(string sql) => _file.Rows(sql);
}
