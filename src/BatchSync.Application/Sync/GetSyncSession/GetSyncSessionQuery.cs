using BatchSync.Application.Abstractions;
using BatchSync.Application.Common;
using BatchSync.Domain.Common;
using BatchSync.Domain.Sync;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace BatchSync.Application.Sync.GetSyncSession;

/// <summary>The resume query: which parts of a sync arrived and which are missing.</summary>
public sealed record GetSyncSessionQuery(Caller Caller, string SyncId) : IQuery<Result<SyncSessionDto>>;

public sealed record SyncSessionDto(
    string SyncId,
    string DeviceId,
    string UserName,
    string SyncStatus,
    int TotalParts,
    IReadOnlyList<int> ReceivedParts,
    IReadOnlyList<int> MissingParts,
    int RecordsReceived,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? CompletedAt,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>>? ProcessingResults);

internal sealed class GetSyncSessionQueryHandler(IBatchSyncDbContext db)
    : IQueryHandler<GetSyncSessionQuery, Result<SyncSessionDto>>
{
    public async ValueTask<Result<SyncSessionDto>> Handle(GetSyncSessionQuery query, CancellationToken cancellationToken)
    {
        var session = await db.SyncSessions.AsNoTracking()
            .Where(s => s.SyncId == query.SyncId)
            .Select(s => new
            {
                s.SyncId,
                s.DeviceId,
                s.UserName,
                s.Status,
                s.TotalParts,
                s.CreatedAt,
                s.UpdatedAt,
                s.CompletedAt,
                s.Completion,
                Parts = s.Parts.Select(p => new { p.PartNumber, p.RecordCount }).ToList(),
            })
            .FirstOrDefaultAsync(cancellationToken);

        if (session is null)
        {
            return SyncErrors.SessionNotFound(query.SyncId);
        }

        if (!query.Caller.MayAccess(session.DeviceId))
        {
            return Error.Forbidden($"This token may not read the sessions of device {session.DeviceId}");
        }

        var received = session.Parts.Select(p => p.PartNumber).Order().ToList();
        var missing = Enumerable.Range(1, session.TotalParts).Except(received).ToList();
        return new SyncSessionDto(
            session.SyncId,
            session.DeviceId,
            session.UserName,
            session.Status == SyncStatus.Completed ? "completed" : "open",
            session.TotalParts,
            received,
            missing,
            session.Parts.Sum(p => p.RecordCount),
            session.CreatedAt,
            session.UpdatedAt,
            session.CompletedAt,
            session.Completion?.ProcessingResults);
    }
}
