using BatchSync.Application.Abstractions;
using BatchSync.Domain.Audit;
using static BatchSync.Infrastructure.Persistence.Writing.SqliteStatements;

namespace BatchSync.Infrastructure.Persistence.Writing;

/// <summary>Audit events on SQLite: a batch of them, or a purge of old ones, is one item of the writer's group commit.</summary>
internal sealed class SqliteAuditStore(SyncWriteQueue writer) : IAuditStore
{
    public Task AddAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken) =>
        writer.Enqueue(context => Insert(context.Statements, events), cancellationToken);

    public Task<int> PurgeAsync(DateTime before, int limit, CancellationToken cancellationToken) =>
        writer.Enqueue(context => Purge(context.Statements, before, limit), cancellationToken);

    private static int Insert(SqliteStatements statements, IReadOnlyList<AuditEvent> events)
    {
        var insert = statements.Command(
            "INSERT INTO audit_events (at, outcome, status, request_id, token_name, remote_address, method, path, " +
            "device_id, user_name, sync_id, part_number, reason) VALUES ($at, $outcome, $status, $request, $token, " +
            "$remote, $method, $path, $device, $user, $sync, $part, $reason)",
            "$at", "$outcome", "$status", "$request", "$token", "$remote", "$method", "$path", "$device", "$user", "$sync", "$part", "$reason");
        foreach (var e in events)
        {
            Bind(insert, Millis(e.At), e.Outcome, e.Status, e.RequestId, e.TokenName, e.RemoteAddress, e.Method, e.Path,
                e.DeviceId, e.UserName, e.SyncId, e.PartNumber, e.Reason);
            insert.ExecuteNonQuery();
        }

        return events.Count;
    }

    private static int Purge(SqliteStatements statements, DateTime before, int limit)
    {
        var purge = statements.Command(
            "DELETE FROM audit_events WHERE id IN (SELECT id FROM audit_events WHERE at < $before ORDER BY at LIMIT $limit)",
            "$before", "$limit");
        Bind(purge, Millis(before), limit);
        return purge.ExecuteNonQuery();
    }
}
