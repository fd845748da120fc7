using Microsoft.Data.Sqlite;

namespace BatchSync.UnitTests.Infrastructure;

/// <summary>The log tables rebuilt without a column per record field, on a real SQLite file.</summary>
public sealed class LeanLogRowsMigrationTests : IDisposable
{
    private const string Before = "20261203131500_StagedPayloadLast";
    private const string Migration = "20261203183206_LeanLogRows";
    private const string Shared = "id, device_id, user_name, sync_id, log_date, timestamp, content_hash, data";
    private const string Fix = """{"type":"location","timestamp":1700000000000,"latitude":32.5,"longitude":34.75,"accuracy":4,"speed":12.5,"network_type":"LTE"}""";
    private const string Event = """{"type":"driving","timestamp":1700000001000,"event_type":"harsh_brake","location":{"latitude":32.5,"longitude":34.75},"speed":3}""";

    private readonly MigrationTestFile _file = new();

    [Fact]
    public void Up_KeepsEveryRowWithItsIdentity_DropsTheFieldColumns_KeepsTheIdSequence()
    {
        _file.MigrateTo(Before);
        _file.Execute(
            "INSERT INTO location_logs (device_id, user_name, sync_id, log_date, timestamp, content_hash, data, latitude, longitude, accuracy, speed, network_type) VALUES " +
            $"('d1', 'u1', 's1', '2023-11-14', 1700000000000, -42, '{Fix}', 32.5, 34.75, 4, 12.5, 'LTE'), " +
            $"('d1', 'u1', 's1', '2023-11-14', 1700000000500, 7, '{Fix}', 32.5, 34.75, NULL, NULL, NULL), " +
            $"('d2', 'u2', 's2', '2023-11-15', 1700000000000, 9, '{Fix}', 1, 2, NULL, NULL, NULL)");
        _file.Execute(
            "INSERT INTO driving_logs (device_id, user_name, sync_id, log_date, timestamp, content_hash, data, event_type, latitude, longitude, speed) VALUES " +
            $"('d1', 'u1', 's1', '2023-11-14', 1700000001000, 5, '{Event}', 'harsh_brake', 32.5, 34.75, 3)");
        // The newest row gone (as the identity upgrade merges twins): its id is never given out again.
        _file.Execute("DELETE FROM location_logs WHERE id = 3");
        var locations = _file.Rows($"SELECT {Shared} FROM location_logs ORDER BY id");
        var events = _file.Rows($"SELECT {Shared} FROM driving_logs ORDER BY id");

        _file.MigrateTo(Migration);

        Assert.Equal(locations, _file.Rows($"SELECT {Shared} FROM location_logs ORDER BY id"));
        Assert.Equal(events, _file.Rows($"SELECT {Shared} FROM driving_logs ORDER BY id"));
        string[] lean = ["id", "device_id", "user_name", "sync_id", "log_date", "timestamp", "content_hash", "data"];
        Assert.Equal(lean, _file.Columns("location_logs"));
        Assert.Equal(lean, _file.Columns("driving_logs"));

        // The identity is still unique, and a new row takes an id after every one ever given.
        Assert.Throws<SqliteException>(() => _file.Execute(
            $"INSERT INTO location_logs (device_id, user_name, sync_id, log_date, timestamp, content_hash, data) VALUES ('d1', 'u9', 's9', '2023-11-14', 1700000000000, -42, '{Fix}')"));
        _file.Execute(
            $"INSERT INTO location_logs (device_id, user_name, sync_id, log_date, timestamp, content_hash, data) VALUES ('d1', 'u9', 's9', '2023-11-14', 1700000009000, 1, '{Fix}')");
        Assert.Equal(4L, _file.Rows("SELECT max(id) FROM location_logs")[0][0]);
    }

    [Fact]
    public void Down_AddsTheFieldColumnsBackFromEachRowsJson()
    {
        _file.MigrateTo(Migration);
        _file.Execute(
            "INSERT INTO location_logs (device_id, user_name, sync_id, log_date, timestamp, content_hash, data) VALUES " +
            $"('d1', 'u1', 's1', '2023-11-14', 1700000000000, -42, '{Fix}')");
        _file.Execute(
            "INSERT INTO driving_logs (device_id, user_name, sync_id, log_date, timestamp, content_hash, data) VALUES " +
            $"('d1', 'u1', 's1', '2023-11-14', 1700000001000, 5, '{Event}')");

        _file.MigrateTo(Before);

        Assert.Equal(
            [[1L, "d1", 1700000000000L, -42L, 32.5, 34.75, 4.0, DBNull.Value, 12.5, DBNull.Value, DBNull.Value, "LTE", DBNull.Value]],
            _file.Rows("SELECT id, device_id, timestamp, content_hash, latitude, longitude, accuracy, altitude, speed, bearing, battery_level, network_type, provider FROM location_logs"));
        Assert.Equal(
            [["harsh_brake", 32.5, 34.75, DBNull.Value, 3.0, DBNull.Value]],
            _file.Rows("SELECT event_type, latitude, longitude, accuracy, speed, bearing FROM driving_logs"));
        Assert.Throws<SqliteException>(() => _file.Execute(
            $"INSERT INTO location_logs (device_id, user_name, sync_id, log_date, timestamp, content_hash, data, latitude, longitude) VALUES ('d1', 'u', 's', '2023-11-14', 1700000000000, -42, '{Fix}', 1, 2)"));
    }

    public void Dispose() => _file.Dispose();
}
