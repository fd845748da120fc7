using BatchSync.Application.Abstractions;
using BatchSync.Domain.Audit;

namespace BatchSync.Infrastructure.Persistence.Writing;

/// <summary>Audit events on SQLite: a batch is one item of the writer's group commit.</summary>
internal sealed class SqliteAuditStore(SyncWriteQueue writer) : IAuditStore
{
    public Task AddAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken) =>
        writer.Enqueue(store => store.InsertAudit(events), cancellationToken);

    public Task<int> PurgeAsync(DateTime before, int limit, CancellationToken cancellationToken) =>
        writer.Enqueue(store => store.PurgeAudit(before, limit), cancellationToken);
}

/// <summary>Finished sessions forgotten on SQLite, through the writer.</summary>
internal sealed class SqliteSessionRetention(SyncWriteQueue writer) : ISessionRetention
{
    public Task<int> PurgeFinishedAsync(DateTime finishedBefore, int limit, CancellationToken cancellationToken) =>
        writer.Enqueue(store => store.PurgeFinishedSessions(finishedBefore, limit), cancellationToken);
}

/// <summary>A token's last use on SQLite: an item of the writer's next group, not awaited.</summary>
internal sealed class SqliteTokenUsage(SyncWriteQueue writer) : ITokenUsage
{
    public void RecordUse(long tokenId, DateTime at) =>
        _ = writer.Enqueue(store => store.TouchToken(tokenId, at), CancellationToken.None)
            .ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
}
