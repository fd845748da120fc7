using BatchSync.Api.Auth;
using BatchSync.Api.ErrorHandling;
using BatchSync.Api.OpenApi;
using BatchSync.Application.Sync.GetSyncSession;
using Mediator;

namespace BatchSync.Api.Endpoints;

internal static class SyncSessionEndpoints
{
    public static IEndpointRouteBuilder MapSyncSessions(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/sync-sessions/{sync_id}", GetAsync)
            .RequireAuthorization(Policies.Device)
            .WithTags("Resume")
            .WithName("GetSyncSession")
            .WithSummary("Which parts of a sync arrived and which are missing")
            .WithDescription(
                "A client that lost its connection asks here, then sends only the missing parts under the same " +
                "sync_id. A device token sees only the sessions of its own devices.")
            .Produces<SyncSessionResponseBody>(StatusCodes.Status200OK)
            .ProducesErrors(401, 403, 404, 429, 500)
            .WithMetadata(Examples.Session);
        return app;
    }

    private static async Task<IResult> GetAsync(
        string sync_id,
        HttpContext http,
        ISender sender,
        CancellationToken cancellationToken)
    {
        var result = await sender.Send(new GetSyncSessionQuery(BearerTokenHandler.CallerOf(http.User), sync_id), cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiErrors.From(http, result.Error!);
        }

        return Results.Json(SyncSessionResponseBody.From(result.Value, http.TraceIdentifier), WireJsonContext.Default.SyncSessionResponseBody);
    }
}
