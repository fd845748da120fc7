using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace BatchSync.Client;

/// <summary>The store's side of a sync run: the plan of syncs and parts, what each part sends, what was delivered, and cleanup.</summary>
public sealed partial class OfflineStore
{
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
}
