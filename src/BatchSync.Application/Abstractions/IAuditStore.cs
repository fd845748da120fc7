using BatchSync.Domain.Audit;

namespace BatchSync.Application.Abstractions;

/// <summary>Where audit events are kept. <see cref="IAuditLog"/> queues them and hands them here in batches.</summary>
public interface IAuditStore
{
    Task AddAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken);

    /// <summary>Deletes up to <paramref name="limit"/> events older than <paramref name="before"/>. Returns how many.</summary>
    Task<int> PurgeAsync(DateTime before, int limit, CancellationToken cancellationToken);
}
