using System.Globalization;
using System.Security.Cryptography;
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
public sealed class OfflineStore : IDisposable
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

    /// <summary>Plans every pending record not yet in a sync: sorted by time, cut into parts, parts into syncs. Returns the new syncs.</summary>
    internal IReadOnlyList<string> PlanSyncs(string deviceId, int batchSize, int maxParts, DateTimeOffset now)
    {
        lock (_lock)
        {
            using var transaction = _connection.BeginTransaction();
            var ids = new List<long>();
            using (var select = _connection.CreateCommand())
            {
                select.CommandText = "SELECT id FROM records WHERE synced_at IS NULL AND sync_id IS NULL ORDER BY timestamp, id";
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    ids.Add(reader.GetInt64(0));
                }
            }

            var planned = new List<string>();
            foreach (var sync in ids.Chunk(batchSize * maxParts))
            {
                var syncId = NewSyncId(deviceId, now);
                var parts = sync.Chunk(batchSize).ToList();
                using (var insert = _connection.CreateCommand())
                {
                    insert.CommandText = "INSERT INTO syncs (sync_id, total_parts, planned_at) VALUES ($id, $total, $at)";
                    insert.Parameters.AddWithValue("$id", syncId);
                    insert.Parameters.AddWithValue("$total", parts.Count);
                    insert.Parameters.AddWithValue("$at", now.ToUnixTimeMilliseconds());
                    insert.ExecuteNonQuery();
                }

                using var assign = _connection.CreateCommand();
                assign.CommandText = "UPDATE records SET sync_id = $sync, part_number = $part WHERE id = $id";
                var syncParameter = assign.Parameters.AddWithValue("$sync", syncId);
                var partParameter = assign.Parameters.Add("$part", SqliteType.Integer);
                var idParameter = assign.Parameters.Add("$id", SqliteType.Integer);
                for (var p = 0; p < parts.Count; p++)
                {
                    partParameter.Value = p + 1;
                    foreach (var id in parts[p])
                    {
                        idParameter.Value = id;
                        assign.ExecuteNonQuery();
                    }
                }

                planned.Add(syncId);
            }

            transaction.Commit();
            return planned;
        }
    }

    /// <summary>Planned syncs the server has not confirmed complete, oldest first, with their part counts.</summary>
    internal IReadOnlyList<(string SyncId, int TotalParts)> OpenSyncs()
    {
        lock (_lock)
        {
            using var select = _connection.CreateCommand();
            select.CommandText = "SELECT sync_id, total_parts FROM syncs WHERE completed_at IS NULL ORDER BY planned_at, rowid";
            using var reader = select.ExecuteReader();
            var syncs = new List<(string, int)>();
            while (reader.Read())
            {
                syncs.Add((reader.GetString(0), reader.GetInt32(1)));
            }

            return syncs;
        }
    }

    /// <summary>The records of one planned part, in the order they are sent.</summary>
    internal IReadOnlyList<string> PartRecords(string syncId, int partNumber)
    {
        lock (_lock)
        {
            using var select = _connection.CreateCommand();
            select.CommandText = "SELECT json FROM records WHERE sync_id = $sync AND part_number = $part ORDER BY timestamp, id";
            select.Parameters.AddWithValue("$sync", syncId);
            select.Parameters.AddWithValue("$part", partNumber);
            using var reader = select.ExecuteReader();
            var records = new List<string>();
            while (reader.Read())
            {
                records.Add(reader.GetString(0));
            }

            return records;
        }
    }

    /// <summary>The server said <c>sync_complete</c>: the sync's records are synced. Returns how many.</summary>
    internal int MarkSynced(string syncId, DateTimeOffset now)
    {
        lock (_lock)
        {
            using var transaction = _connection.BeginTransaction();
            using var records = _connection.CreateCommand();
            records.CommandText = "UPDATE records SET synced_at = $at WHERE sync_id = $sync AND synced_at IS NULL";
            records.Parameters.AddWithValue("$at", now.ToUnixTimeMilliseconds());
            records.Parameters.AddWithValue("$sync", syncId);
            var count = records.ExecuteNonQuery();
            using var sync = _connection.CreateCommand();
            sync.CommandText = "UPDATE syncs SET completed_at = $at WHERE sync_id = $sync";
            sync.Parameters.AddWithValue("$at", now.ToUnixTimeMilliseconds());
            sync.Parameters.AddWithValue("$sync", syncId);
            sync.ExecuteNonQuery();
            transaction.Commit();
            return count;
        }
    }

    /// <summary>
    /// Deletes synced records older than <paramref name="retention"/>; past <paramref name="threshold"/>
    /// records, synced ones go oldest first. Unsynced records are never deleted. Returns how many went.
    /// </summary>
    internal int Cleanup(DateTimeOffset now, TimeSpan retention, int threshold)
    {
        lock (_lock)
        {
            using var old = _connection.CreateCommand();
            old.CommandText = "DELETE FROM records WHERE synced_at IS NOT NULL AND synced_at < $before";
            old.Parameters.AddWithValue("$before", (now - retention).ToUnixTimeMilliseconds());
            var deleted = old.ExecuteNonQuery();

            var excess = Scalar("SELECT COUNT(*) FROM records") - threshold;
            if (excess > 0)
            {
                using var emergency = _connection.CreateCommand();
                emergency.CommandText =
                    "DELETE FROM records WHERE id IN (SELECT id FROM records WHERE synced_at IS NOT NULL ORDER BY timestamp, id LIMIT $n)";
                emergency.Parameters.AddWithValue("$n", excess);
                deleted += emergency.ExecuteNonQuery();
            }

            Execute("DELETE FROM syncs WHERE completed_at IS NOT NULL AND sync_id NOT IN (SELECT DISTINCT sync_id FROM records WHERE sync_id IS NOT NULL)");
            return deleted;
        }
    }

    /// <summary><c>&lt;device_id&gt;_&lt;unix ms&gt;_&lt;random&gt;</c>, within the server's 128 characters.</summary>
    internal static string NewSyncId(string deviceId, DateTimeOffset now)
    {
        var suffix = string.Create(CultureInfo.InvariantCulture, $"_{now.ToUnixTimeMilliseconds()}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}");
        return (deviceId.Length + suffix.Length > 128 ? deviceId[..(128 - suffix.Length)] : deviceId) + suffix;
    }

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
