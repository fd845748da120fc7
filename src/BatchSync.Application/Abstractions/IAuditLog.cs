using BatchSync.Domain.Audit;

namespace BatchSync.Application.Abstractions;

/// <summary>
/// The audit trail. <see cref="Record"/> never waits: events are queued and written in batches beside
/// the uploads, so auditing cannot slow them noticeably.
/// </summary>
public interface IAuditLog
{
    void Record(AuditEvent auditEvent);
}
