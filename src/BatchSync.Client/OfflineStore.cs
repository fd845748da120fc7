using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace BatchSync.Client;

/// <summary>
/// The phone's durable queue: one SQLite file the app chooses. A record added is committed before
/// <see cref="Add"/> returns (WAL: it survives the app being killed). The sync plan — which records go
/// in which part of which sync — is written here before the first upload, so a sync cut off by a crash
/// resumes under the same <c>sync_id</c>. Thread-safe.
/// </summary>
public sealed partial class OfflineStore : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Lock _lock = new();

    public OfflineStore(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        _connection.Open();
        Execute(
            """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            CREATE TABLE IF NOT EXISTS records (
                id INTEGER PRIMARY KEY,
                timestamp INTEGER NOT NULL,
                json TEXT NOT NULL,
                sync_id TEXT NULL,
                part_number INTEGER NULL,
                synced_at INTEGER NULL);
            CREATE INDEX IF NOT EXISTS records_pending ON records (sync_id, timestamp) WHERE synced_at IS NULL;
            CREATE INDEX IF NOT EXISTS records_synced ON records (synced_at) WHERE synced_at IS NOT NULL;
            CREATE TABLE IF NOT EXISTS syncs (
                sync_id TEXT PRIMARY KEY,
                total_parts INTEGER NOT NULL,
                planned_at INTEGER NOT NULL,
                completed_at INTEGER NULL);
            """);
    }

    /// <summary>The store's file.</summary>
    public string Path { get; }

    /// <summary>Records not yet confirmed by the server.</summary>
    public long PendingCount => Scalar("SELECT COUNT(*) FROM records WHERE synced_at IS NULL");

    /// <summary>Records the server confirmed, kept until cleanup.</summary>
    public long SyncedCount => Scalar("SELECT COUNT(*) FROM records WHERE synced_at IS NOT NULL");

    /// <summary>Adds one record: a JSON object with <c>type</c> and integer <c>timestamp</c> (Unix ms); other fields are the app's.</summary>
    public void Add(JsonObject record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record["type"]?.GetValueKind() != JsonValueKind.String || record["timestamp"] is not JsonValue ts || !ts.TryGetValue<long>(out var timestamp))
        {
            throw new ArgumentException("A record needs a string 'type' and an integer 'timestamp' (Unix milliseconds).", nameof(record));
        }

        lock (_lock)
        {
            using var insert = _connection.CreateCommand();
            insert.CommandText = "INSERT INTO records (timestamp, json) VALUES ($ts, $json)";
            insert.Parameters.AddWithValue("$ts", timestamp);
            insert.Parameters.AddWithValue("$json", record.ToJsonString());
            insert.ExecuteNonQuery();
        }
    }

    /// <summary>A GPS fix, as the seed's <c>OfflineDataManager</c> records one.</summary>
    public void AddLocation(
        long timestamp,
        double latitude,
        double longitude,
        double? accuracy = null,
        double? altitude = null,
        double? speed = null,
        double? bearing = null,
        int? batteryLevel = null,
        string? networkType = null,
        string? provider = null)
    {
        var record = new JsonObject { ["type"] = "location", ["timestamp"] = timestamp, ["latitude"] = latitude, ["longitude"] = longitude };
        Optional(record, "accuracy", accuracy);
        Optional(record, "altitude", altitude);
        Optional(record, "speed", speed);
        Optional(record, "bearing", bearing);
        Optional(record, "battery_level", batteryLevel);
        Optional(record, "network_type", networkType);
        Optional(record, "provider", provider);
        Add(record);
    }

    /// <summary>A driving event (<c>driving_start</c>, <c>hard_brake</c>…), with where it happened if known.</summary>
    public void AddDriving(long timestamp, string eventType, double? latitude = null, double? longitude = null, double? accuracy = null, double? speed = null, double? bearing = null)
    {
        var record = new JsonObject { ["type"] = "driving", ["timestamp"] = timestamp, ["event_type"] = eventType };
        if (latitude is not null && longitude is not null)
        {
            var location = new JsonObject { ["latitude"] = latitude, ["longitude"] = longitude };
            Optional(location, "accuracy", accuracy);
            record["location"] = location;
        }

        Optional(record, "speed", speed);
        Optional(record, "bearing", bearing);
        Add(record);
    }

    public void Dispose() => _connection.Dispose();

    private static void Optional<T>(JsonObject record, string name, T? value)
    {
        if (value is not null)
        {
            record[name] = JsonValue.Create(value);
        }
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private long Scalar(string sql)
    {
        lock (_lock)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            return (long)command.ExecuteScalar()!;
        }
    }
}
