using System.Globalization;
using BatchSync.Application.Abstractions;
using BatchSync.Domain.Sync;
using BatchSync.Infrastructure.Persistence.Configurations;
using static BatchSync.Infrastructure.Persistence.Writing.SqliteStatements;

namespace BatchSync.Infrastructure.Persistence.Writing;

/// <summary>A sync session's rows on the writer's connection: its <c>sync_sessions</c> row and its <c>batch_parts</c>.</summary>
internal sealed class SqliteSessionRows(SqliteStatements statements)
{
    /// <summary>The session with its parts, or with only part <paramref name="onlyPart"/> and the count of them all.</summary>
    public SyncSession? Find(string syncId, int? onlyPart = null)
    {
        var find = statements.Command(
            "SELECT device_id, user_name, total_parts, status, created_at, updated_at, completed_at, completion " +
            "FROM sync_sessions WHERE sync_id = $id", "$id");
        find.Parameters[0].Value = syncId;
        string deviceId, userName, status;
        int totalParts;
        long createdAt, updatedAt;
        long? completedAt;
        string? completion;
        using (var row = find.ExecuteReader())
        {
            if (!row.Read())
            {
                return null;
            }

            (deviceId, userName, totalParts, status) = (row.GetString(0), row.GetString(1), row.GetInt32(2), row.GetString(3));
            (createdAt, updatedAt) = (row.GetInt64(4), row.GetInt64(5));
            completedAt = row.IsDBNull(6) ? null : row.GetInt64(6);
            completion = row.IsDBNull(7) ? null : row.GetString(7);
        }

        var parts = onlyPart is null
            ? statements.Command("SELECT part_number, record_count, checksum, content_hash, received_at FROM batch_parts WHERE sync_id = $id", "$id")
            : statements.Command(
                "SELECT part_number, record_count, checksum, content_hash, received_at FROM batch_parts WHERE sync_id = $id AND part_number = $part",
                "$id", "$part");
        parts.Parameters[0].Value = syncId;
        if (onlyPart is { } number)
        {
            parts.Parameters[1].Value = number;
        }

        var held = new List<BatchPart>();
        using (var row = parts.ExecuteReader())
        {
            while (row.Read())
            {
                held.Add(new BatchPart(row.GetInt32(0), row.GetInt32(1), row.GetString(2), row.GetString(3), Time(row.GetInt64(4))));
            }
        }

        return SyncSession.Restore(
            syncId,
            deviceId,
            userName,
            totalParts,
            Enum.Parse<SyncStatus>(status),
            Time(createdAt),
            Time(updatedAt),
            completedAt is null ? null : Time(completedAt.Value),
            CompletionJson.Deserialize(completion),
            held,
            onlyPart is null ? null : CountParts(syncId));
    }

    private int CountParts(string syncId)
    {
        var count = statements.Command("SELECT count(*) FROM batch_parts WHERE sync_id = $id", "$id");
        count.Parameters[0].Value = syncId;
        return Convert.ToInt32(count.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public void Add(SyncSession session)
    {
        var insert = statements.Command(
            "INSERT INTO sync_sessions (sync_id, device_id, user_name, total_parts, status, created_at, updated_at, completed_at, completion) " +
            "VALUES ($id, $device, $user, $total, $status, $created, $updated, $completed, $completion)",
            "$id", "$device", "$user", "$total", "$status", "$created", "$updated", "$completed", "$completion");
        Bind(insert, session.SyncId, session.DeviceId, session.UserName, session.TotalParts, session.Status.ToString(),
            Millis(session.CreatedAt), Millis(session.UpdatedAt), session.CompletedAt is { } done ? Millis(done) : null,
            CompletionJson.Serialize(session.Completion));
        insert.ExecuteNonQuery();
    }

    public void Update(SyncSession session)
    {
        var update = statements.Command(
            "UPDATE sync_sessions SET user_name = $user, total_parts = $total, status = $status, created_at = $created, " +
            "updated_at = $updated, completed_at = $completed, completion = $completion WHERE sync_id = $id",
            "$user", "$total", "$status", "$created", "$updated", "$completed", "$completion", "$id");
        Bind(update, session.UserName, session.TotalParts, session.Status.ToString(), Millis(session.CreatedAt),
            Millis(session.UpdatedAt), session.CompletedAt is { } done ? Millis(done) : null,
            CompletionJson.Serialize(session.Completion), session.SyncId);
        update.ExecuteNonQuery();
    }

    /// <summary>Forgets the session: its parts, then its row.</summary>
    public void Delete(string syncId)
    {
        DeleteParts(syncId);
        var delete = statements.Command("DELETE FROM sync_sessions WHERE sync_id = $id", "$id");
        delete.Parameters[0].Value = syncId;
        delete.ExecuteNonQuery();
    }

    public int CountOpen(string? deviceId)
    {
        if (deviceId is null)
        {
            var all = statements.Command("SELECT COUNT(*) FROM sync_sessions WHERE status = $open", "$open");
            all.Parameters[0].Value = nameof(SyncStatus.Open);
            return Convert.ToInt32(all.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        var device = statements.Command("SELECT COUNT(*) FROM sync_sessions WHERE device_id = $device AND status = $open", "$device", "$open");
        Bind(device, deviceId, nameof(SyncStatus.Open));
        return Convert.ToInt32(device.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public void AddPart(string syncId, BatchPart part, StagedPart? staged)
    {
        var insert = statements.Command(
            "INSERT INTO batch_parts (sync_id, part_number, record_count, checksum, content_hash, received_at, payload, first_timestamp) " +
            "VALUES ($id, $number, $count, $checksum, $hash, $received, $payload, $first)",
            "$id", "$number", "$count", "$checksum", "$hash", "$received", "$payload", "$first");
        Bind(insert, syncId, part.PartNumber, part.RecordCount, part.Checksum, part.ContentHash, Millis(part.ReceivedAt),
            staged?.Records, staged?.FirstTimestamp);
        insert.ExecuteNonQuery();
    }

    public IReadOnlyList<StagedPartHead> LoadStagedPartHeads(string syncId)
    {
        var select = statements.Command(
            "SELECT part_number, record_count, first_timestamp FROM batch_parts WHERE sync_id = $id AND payload IS NOT NULL", "$id");
        select.Parameters[0].Value = syncId;
        var heads = new List<StagedPartHead>();
        using var row = select.ExecuteReader();
        while (row.Read())
        {
            heads.Add(new StagedPartHead(row.GetInt32(0), row.GetInt32(1), row.IsDBNull(2) ? null : row.GetInt64(2)));
        }

        return heads;
    }

    public IReadOnlyList<byte[]> LoadStagedParts(string syncId, IReadOnlyList<int> partNumbers)
    {
        var select = statements.Command(
            "SELECT payload FROM batch_parts WHERE sync_id = $id AND part_number = $number AND payload IS NOT NULL", "$id", "$number");
        select.Parameters[0].Value = syncId;
        var payloads = new List<byte[]>(partNumbers.Count);
        foreach (var number in partNumbers)
        {
            select.Parameters[1].Value = number;
            using var row = select.ExecuteReader();
            if (row.Read())
            {
                payloads.Add((byte[])row.GetValue(0));
            }
        }

        return payloads;
    }

    public void DropStagedRecords(string syncId)
    {
        var drop = statements.Command("UPDATE batch_parts SET payload = NULL WHERE sync_id = $id", "$id");
        drop.Parameters[0].Value = syncId;
        drop.ExecuteNonQuery();
    }

    public void DeleteParts(string syncId)
    {
        var delete = statements.Command("DELETE FROM batch_parts WHERE sync_id = $id", "$id");
        delete.Parameters[0].Value = syncId;
        delete.ExecuteNonQuery();
    }
}
