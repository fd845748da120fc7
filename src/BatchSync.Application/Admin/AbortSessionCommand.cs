using BatchSync.Application.Abstractions;
using BatchSync.Domain.Common;
using BatchSync.Domain.Sync;
using Mediator;

namespace BatchSync.Application.Admin;

/// <summary>Stops an open sync for good: its parts are deleted and any part sent for it later is a 409.</summary>
public sealed record AbortSessionCommand(string SyncId, string? AbortedBy) : ICommand<Result<SessionSummaryDto>>;

internal sealed class AbortSessionCommandHandler(ISyncUnitOfWork unitOfWork, TimeProvider time)
    : ICommandHandler<AbortSessionCommand, Result<SessionSummaryDto>>
{
    public async ValueTask<Result<SessionSummaryDto>> Handle(AbortSessionCommand command, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        // The abort is audited with its request (status, request id, token, address, path) by the Api.
        return await unitOfWork.ExecuteAsync<Result<SessionSummaryDto>>(command.SyncId, async (store, ct) =>
        {
            var session = await store.LoadSessionAsync(ct);
            if (session is null)
            {
                return SyncErrors.SessionNotFound(command.SyncId);
            }

            if (session.Abort(now).Error is { } refused)
            {
                return refused;
            }

            await store.SaveSessionAsync(session, null, ct);
            return session.ToSummary();
        }, cancellationToken);
    }
}
