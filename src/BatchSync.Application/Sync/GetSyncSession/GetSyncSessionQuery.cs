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
    IReadOnlyList<SyncPartDto> Parts,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? CompletedAt,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>>? ProcessingResults);

/// <summary>A part as the server holds it: <see cref="Checksum"/> is the SHA-256 of its records' bytes as sent.</summary>
public sealed record SyncPartDto(int PartNumber, int RecordCount, string Checksum, DateTime ReceivedAt);

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
                Parts = s.Parts.Select(p => new SyncPartDto(p.PartNumber, p.RecordCount, p.Checksum, p.ReceivedAt)).ToList(),
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

        var parts = session.Parts.OrderBy(p => p.PartNumber).ToList();
        var received = parts.ConvertAll(p => p.PartNumber);
        var missing = Enumerable.Range(1, session.TotalParts).Except(received).ToList();
        return new SyncSessionDto(
            session.SyncId,
            session.DeviceId,
            session.UserName,
            session.Status.ToString().ToLowerInvariant(),
            session.TotalParts,
            received,
            missing,
            parts.Sum(p => p.RecordCount),
            parts,
            session.CreatedAt,
            session.UpdatedAt,
            session.CompletedAt,
            session.Completion?.ProcessingResults);
    }
}
