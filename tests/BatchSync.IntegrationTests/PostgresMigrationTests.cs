#if POSTGRESQL
using BatchSync.Infrastructure.Persistence;
using BatchSync.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace BatchSync.IntegrationTests;

/// <summary>PostgreSQL's migrations of the log tables, on a real server, with rows in a day's partition.</summary>
public sealed class PostgresMigrationTests
{
    private const string Before = "20261202071011_StagedPartFirstTimestamp";
    private const string LeanLogRows = "20261203183219_LeanLogRows";
    private const string Shared = "id, device_id, user_name, sync_id, log_date::text, timestamp, content_hash, data";
    private const string Fix = """{"type":"location","timestamp":1700000000000,"latitude":32.5,"longitude":34.75,"accuracy":4,"network_type":"LTE"}""";
    private const string Event = """{"type":"driving","timestamp":1700000001000,"event_type":"harsh_brake","location":{"latitude":32.5,"longitude":34.75},"speed":3}""";

    private readonly string _connectionString = PostgresServer.CreateDatabase();

    [Fact]
    public void LeanLogRows_Up_KeepsEveryRowInEveryPartition_DropsTheFieldColumns_AndDownFillsThemFromTheJson()
    {
        MigrateTo(Before);
        Execute("CREATE TABLE location_logs_20231114 PARTITION OF location_logs FOR VALUES FROM ('2023-11-14') TO ('2023-11-15')");
        Execute("CREATE TABLE driving_logs_20231114 PARTITION OF driving_logs FOR VALUES FROM ('2023-11-14') TO ('2023-11-15')");
        Execute(
            "INSERT INTO location_logs (device_id, user_name, sync_id, log_date, timestamp, content_hash, data, latitude, longitude, accuracy, network_type) VALUES " +
            $"('d1', 'u1', 's1', '2023-11-14', 1700000000000, -42, '{Fix}', 32.5, 34.75, 4, 'LTE'), " +
            $"('d1', 'u1', 's1', '2023-11-14', 1700000000500, 7, '{Fix}', 32.5, 34.75, NULL, NULL)");
        Execute(
            "INSERT INTO driving_logs (device_id, user_name, sync_id, log_date, timestamp, content_hash, data, event_type, latitude, longitude, speed) VALUES " +
            $"('d1', 'u1', 's1', '2023-11-14', 1700000001000, 5, '{Event}', 'harsh_brake', 32.5, 34.75, 3)");
        var locations = Rows($"SELECT {Shared} FROM location_logs ORDER BY id");
        var events = Rows($"SELECT {Shared} FROM driving_logs ORDER BY id");

        MigrateTo(LeanLogRows);

        Assert.Equal(locations, Rows($"SELECT {Shared} FROM location_logs ORDER BY id"));
        Assert.Equal(events, Rows($"SELECT {Shared} FROM driving_logs ORDER BY id"));
        string[] lean = ["id", "device_id", "user_name", "sync_id", "log_date", "timestamp", "content_hash", "data"];
        foreach (var table in new[] { "location_logs", "driving_logs", "location_logs_20231114", "driving_logs_20231114" })
        {
            Assert.Equal(lean, Columns(table));
        }

        // The identity is still the primary key.
        Assert.Throws<PostgresException>(() => Execute(
            $"INSERT INTO location_logs (device_id, user_name, sync_id, log_date, timestamp, content_hash, data) VALUES ('d1', 'u9', 's9', '2023-11-14', 1700000000000, -42, '{Fix}')"));

        MigrateTo(Before);

        Assert.Equal(
            [[32.5, 34.75, 4.0, "LTE", null], [32.5, 34.75, 4.0, "LTE", null]],
            Rows("SELECT latitude, longitude, accuracy, network_type, provider FROM location_logs ORDER BY id"));
        Assert.Equal([["harsh_brake", 32.5, 34.75, null, 3.0]], Rows("SELECT event_type, latitude, longitude, accuracy, speed FROM driving_logs"));
        Assert.Equal([["NO"], ["NO"]], Rows("SELECT is_nullable FROM information_schema.columns WHERE table_name = 'location_logs' AND column_name IN ('latitude', 'longitude')"));
    }

    private void MigrateTo(string migration)
    {
        using var db = new PostgresBatchSyncDbContext(new DbContextOptionsBuilder<PostgresBatchSyncDbContext>().UseNpgsql(_connectionString).Options);
        db.GetService<IMigrator>().Migrate(migration);
    }

    private void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(_connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private List<object?[]> Rows(string sql)
    {
        using var connection = new NpgsqlConnection(_connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : reader.GetValue(i))]);
        }

        return rows;
    }

    private List<object?> Columns(string table) =>
        [.. Rows($"SELECT column_name::text FROM information_schema.columns WHERE table_name = '{table}' ORDER BY ordinal_position").Select(r => r[0])];
}
#endif
