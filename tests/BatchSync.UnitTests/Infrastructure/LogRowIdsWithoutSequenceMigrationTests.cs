using BatchSync.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace BatchSync.UnitTests.Infrastructure;

/// <summary>The log tables' ids taken off their AUTOINCREMENT sequence and put back, on a real SQLite file.</summary>
public sealed class LogRowIdsWithoutSequenceMigrationTests : IDisposable
{
    private const string Before = "20261203183206_LeanLogRows";
    private const string Migration = "20261206140912_LogRowIdsWithoutSequence";
    private const string Columns = "id, device_id, user_name, sync_id, log_date, timestamp, content_hash, data";
    private const string Fix = """{"type":"location","timestamp":1700000000000,"latitude":32.5,"longitude":34.75}""";
    private const string Event = """{"type":"driving","timestamp":1700000001000,"event_type":"harsh_brake"}""";

    private readonly MigrationTestFile _file = new();

    [Fact]
    public void Up_KeepsEveryRowWithItsIdAndIdentity_AndDropsTheSequence()
    {
        _file.MigrateTo(Before);
        Insert("location_logs", ("d1", 1700000000000, -42), ("d1", 1700000000500, 7), ("d2", 1700000000000, 9));
        Insert("driving_logs", ("d1", 1700000001000, 5));
        _file.Execute("DELETE FROM location_logs WHERE id = 2");
        var locations = _file.Rows($"SELECT {Columns} FROM location_logs ORDER BY id");
        var events = _file.Rows($"SELECT {Columns} FROM driving_logs ORDER BY id");

        _file.MigrateTo(Migration);

        Assert.Equal(locations, _file.Rows($"SELECT {Columns} FROM location_logs ORDER BY id"));
        Assert.Equal(events, _file.Rows($"SELECT {Columns} FROM driving_logs ORDER BY id"));
        Assert.DoesNotContain("AUTOINCREMENT", Sql("location_logs"), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("AUTOINCREMENT", Sql("driving_logs"), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(_file.Rows("SELECT name FROM sqlite_sequence WHERE name IN ('location_logs', 'driving_logs')"));

        // The identity is still unique, and a new row takes the id after the largest there is: with no
        // sequence, the id of the newest row deleted is given again.
        Assert.Throws<SqliteException>(() => Insert("location_logs", ("d1", 1700000000000, -42)));
        Insert("location_logs", ("d1", 1700000009000, 1));
        Assert.Equal([[4L]], _file.Rows("SELECT id FROM location_logs WHERE timestamp = 1700000009000"));
        _file.Execute("DELETE FROM location_logs WHERE id = 4");
        Insert("location_logs", ("d1", 1700000009500, 2));
        Assert.Equal([[4L]], _file.Rows("SELECT id FROM location_logs WHERE timestamp = 1700000009500"));
    }

    [Fact]
    public void TheModelAndEveryMigration_GiveTheLogTablesRowidsWithoutASequence()
    {
        _file.MigrateTo(null);
        Assert.DoesNotContain("AUTOINCREMENT", Sql("location_logs"), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("AUTOINCREMENT", Sql("driving_logs"), StringComparison.OrdinalIgnoreCase);

        // What EF Core would create from the model (and so what a migration it writes would rebuild).
        using var db = new DesignTimeDbContextFactory().CreateDbContext([]);
        var script = db.Database.GenerateCreateScript();
        foreach (var table in new[] { "location_logs", "driving_logs" })
        {
            var start = script.IndexOf($"CREATE TABLE \"{table}\"", StringComparison.Ordinal);
            Assert.True(start >= 0, $"no {table} in the model's script");
            var create = script[start..script.IndexOf(';', start)];
            Assert.DoesNotContain("AUTOINCREMENT", create, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Contains("AUTOINCREMENT", script, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Down_GivesTheIdsASequenceAgain_StartingAfterTheLargest()
    {
        _file.MigrateTo(Migration);
        Insert("location_logs", ("d1", 1700000000000, -42), ("d1", 1700000000500, 7));
        Insert("driving_logs", ("d1", 1700000001000, 5));
        var locations = _file.Rows($"SELECT {Columns} FROM location_logs ORDER BY id");

        _file.MigrateTo(Before);

        Assert.Equal(locations, _file.Rows($"SELECT {Columns} FROM location_logs ORDER BY id"));
        Assert.Contains("AUTOINCREMENT", Sql("location_logs"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(
            [["driving_logs", 1L], ["location_logs", 2L]],
            _file.Rows("SELECT name, seq FROM sqlite_sequence WHERE name IN ('location_logs', 'driving_logs') ORDER BY name"));
        _file.Execute("DELETE FROM location_logs WHERE id = 2");
        Insert("location_logs", ("d1", 1700000009000, 1));
        Assert.Equal([[3L]], _file.Rows("SELECT id FROM location_logs WHERE timestamp = 1700000009000"));
    }

    public void Dispose() => _file.Dispose();

    private string Sql(string table) => (string)_file.Rows($"SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '{table}'")[0][0]!;

    private void Insert(string table, params (string Device, long Timestamp, long Hash)[] rows) => _file.Execute(
        $"INSERT INTO {table} (device_id, user_name, sync_id, log_date, timestamp, content_hash, data) VALUES " +
        string.Join(", ", rows.Select(r => $"('{r.Device}', 'u1', 's1', '2023-11-14', {r.Timestamp}, {r.Hash}, '{(table == "location_logs" ? Fix : Event)}')")));
}
