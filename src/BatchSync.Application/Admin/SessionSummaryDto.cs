using BatchSync.Domain.Sync;
using Mapster;

namespace BatchSync.Application.Admin;

public sealed record SessionSummaryDto(
    string SyncId,
    string DeviceId,
    string UserName,
    string SyncStatus,
    int TotalParts,
    int ReceivedParts,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? CompletedAt);

internal static class SessionSummaries
{
    static SessionSummaries()
    {
        TypeAdapterConfig<SyncSession, SessionSummaryDto>.NewConfig()
            .Map(d => d.SyncStatus, s => s.Status.ToString().ToLowerInvariant())
            .Map(d => d.ReceivedParts, s => s.Parts.Count);
    }

    public static SessionSummaryDto ToSummary(this SyncSession session) => session.Adapt<SessionSummaryDto>();
}
