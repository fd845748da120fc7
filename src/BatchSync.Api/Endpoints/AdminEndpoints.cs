using BatchSync.Api.Auth;
using BatchSync.Api.ErrorHandling;
using BatchSync.Api.Export;
using BatchSync.Api.OpenApi;
using BatchSync.Application.Admin;
using BatchSync.Application.Sync.GetSyncSession;
using BatchSync.Domain.Common;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace BatchSync.Api.Endpoints;

/// <summary>The success envelope of the admin API: what was asked for under <c>data</c>.</summary>
public sealed record AdminResponse<T>(string Status, T Data, string RequestId);

/// <summary>Contract section 6: sessions, records, daily counts and the audit, for admin tokens only.</summary>
internal static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/v1/admin").RequireAuthorization(Policies.Admin).WithTags("Admin");

        admin.MapGet("/sessions", ListSessionsAsync)
            .WithName("AdminListSessions")
            .WithSummary("Sessions, newest activity first, with filters and paging")
            .WithDescription("`status` is open, completed, expired or aborted; `from`/`to` (ISO 8601) bound when a session started.")
            .Produces<AdminResponse<Page<SessionSummaryDto>>>()
            .ProducesErrors(400, 401, 403, 429)
            .WithMetadata(Examples.AdminSessions);

        admin.MapGet("/sessions/{sync_id}", GetSessionAsync)
            .WithName("AdminGetSession")
            .WithSummary("One session with its parts (number, record count, checksum, received at)")
            .WithDescription("Any device's session, with `missing_parts` and, once completed, `processing_results`. Unknown: `404`.")
            .Produces<AdminResponse<SyncSessionDto>>()
            .ProducesErrors(401, 403, 404, 429)
            .WithMetadata(Examples.AdminSession);

        admin.MapPost("/sessions/{sync_id}/abort", AbortSessionAsync)
            .WithName("AdminAbortSession")
            .WithSummary("Abort an open sync: its parts are deleted, parts sent for it later get 409")
            .WithDescription("Only an open sync can be aborted (`409` otherwise, `404` if unknown). The abort is audited with the admin token's name.")
            .Produces<AdminResponse<SessionSummaryDto>>()
            .ProducesErrors(401, 403, 404, 409, 429)
            .WithMetadata(Examples.AdminAbort);

        admin.MapGet("/devices", DevicesAsync)
            .WithName("AdminDevices")
            .WithSummary("Devices, each with its last known position and last sync")
            .WithDescription("Every device with records or sessions, by id. The position is its latest location record.")
            .Produces<AdminResponse<Page<DeviceDto>>>()
            .ProducesErrors(400, 401, 403, 429)
            .WithMetadata(Examples.AdminDevices);

        admin.MapGet("/devices/{device_id}/records", RecordsAsync)
            .WithName("AdminDeviceRecords")
            .WithSummary("A device's records of one type, in timestamp order, keyset-paged; or exported as CSV, GeoJSON or GPX")
            .WithDescription(
                "`from`/`to` are Unix milliseconds (to excluded); pass `next_cursor` as `after` for the next page. " +
                "`format=csv|geojson|gpx` streams the whole range instead (GPX: location records as a track, " +
                "driving events as waypoints).")
            .Produces<AdminResponse<RecordPage>>()
            .ProducesErrors(400, 401, 403, 429)
            .WithMetadata(Examples.AdminRecords);

        admin.MapGet("/stats/daily", DailyAsync)
            .WithName("AdminDailyCounts")
            .WithSummary("Records stored per log date and type")
            .WithDescription("`from`/`to` are dates (yyyy-MM-dd, both included); `device_id` narrows to one device.")
            .Produces<AdminResponse<IReadOnlyList<DailyCountDto>>>()
            .ProducesErrors(400, 401, 403, 429)
            .WithMetadata(Examples.AdminDaily);

        admin.MapGet("/audit", AuditAsync)
            .WithName("AdminAudit")
            .WithSummary("Audit events, newest first, with filters; keyset-paged by id")
            .WithDescription("Pass `next_before` as `before` for the next (older) page.")
            .Produces<AdminResponse<AuditPage>>()
            .ProducesErrors(400, 401, 403, 429)
            .WithMetadata(Examples.AdminAudit);
        return app;
    }

    private static Task<IResult> ListSessionsAsync(
        HttpContext http,
        ISender sender,
        [FromQuery] string? status,
        [FromQuery(Name = "device_id")] string? deviceId,
        [FromQuery(Name = "user_name")] string? userName,
        [FromQuery] DateTime? from,
        [FromQuery] DateTime? to,
        [FromQuery] int? page,
        [FromQuery(Name = "page_size")] int? pageSize,
        CancellationToken cancellationToken) =>
        Answer(http, sender.Send(new ListSessionsQuery(status, deviceId, userName, Utc(from), Utc(to), page ?? 1, pageSize ?? 50), cancellationToken));

    private static Task<IResult> GetSessionAsync(HttpContext http, ISender sender, string sync_id, CancellationToken cancellationToken) =>
        Answer(http, sender.Send(new GetSyncSessionQuery(BearerTokenHandler.CallerOf(http.User), sync_id), cancellationToken));

    private static Task<IResult> AbortSessionAsync(HttpContext http, ISender sender, string sync_id, CancellationToken cancellationToken) =>
        Answer(http, sender.Send(new AbortSessionCommand(sync_id, http.User.Identity?.Name), cancellationToken));

    private static async Task<IResult> RecordsAsync(
        HttpContext http,
        ISender sender,
        string device_id,
        [FromQuery] string? type,
        [FromQuery] long? from,
        [FromQuery] long? to,
        [FromQuery] string? after,
        [FromQuery] int? limit,
        [FromQuery] string? format,
        CancellationToken cancellationToken)
    {
        var query = new DeviceRecordsQuery(device_id, type ?? "location", from, to, after, limit ?? 500);
        if (format is null or "json")
        {
            return await Answer(http, sender.Send(query, cancellationToken));
        }

        if (!RecordExport.Formats.Contains(format))
        {
            return ApiErrors.Envelope(http, StatusCodes.Status400BadRequest, "Validation failed",
                new Dictionary<string, string[]> { ["format"] = [$"must be one of {string.Join(", ", RecordExport.Formats)}"] });
        }

        // An export is the whole range: page after page, written as read.
        var first = await sender.Send(query with { Limit = 5000 }, cancellationToken);
        if (!first.IsSuccess)
        {
            return ApiErrors.From(http, first.Error!);
        }

        return Results.Stream(
            body => RecordExport.WriteAsync(body, format, query.Type, Pages(sender, query with { Limit = 5000 }, first.Value, cancellationToken), cancellationToken),
            RecordExport.ContentType(format),
            $"{device_id}-{query.Type}.{format}");
    }

    private static async IAsyncEnumerable<RecordDto> Pages(
        ISender sender,
        DeviceRecordsQuery query,
        RecordPage page,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            foreach (var record in page.Items)
            {
                yield return record;
            }

            if (page.NextCursor is null)
            {
                yield break;
            }

            var next = await sender.Send(query with { After = page.NextCursor }, cancellationToken);
            page = next.Value;
        }
    }

    private static Task<IResult> DevicesAsync(
        HttpContext http,
        ISender sender,
        [FromQuery] int? page,
        [FromQuery(Name = "page_size")] int? pageSize,
        CancellationToken cancellationToken) =>
        Answer(http, sender.Send(new ListDevicesQuery(page ?? 1, pageSize ?? 100), cancellationToken));

    private static Task<IResult> DailyAsync(
        HttpContext http,
        ISender sender,
        [FromQuery] string? type,
        [FromQuery(Name = "device_id")] string? deviceId,
        [FromQuery] DateOnly? from,
        [FromQuery] DateOnly? to,
        CancellationToken cancellationToken) =>
        Answer(http, sender.Send(new DailyCountsQuery(type, deviceId, from, to), cancellationToken));

    private static Task<IResult> AuditAsync(
        HttpContext http,
        ISender sender,
        [FromQuery] string? outcome,
        [FromQuery] int? status,
        [FromQuery(Name = "device_id")] string? deviceId,
        [FromQuery(Name = "token_name")] string? tokenName,
        [FromQuery(Name = "sync_id")] string? syncId,
        [FromQuery] DateTime? from,
        [FromQuery] DateTime? to,
        [FromQuery] long? before,
        [FromQuery] int? limit,
        CancellationToken cancellationToken) =>
        Answer(http, sender.Send(new AuditEventsQuery(outcome, status, deviceId, tokenName, syncId, Utc(from), Utc(to), before, limit ?? 100), cancellationToken));

    private static async Task<IResult> Answer<T>(HttpContext http, ValueTask<Result<T>> pending)
    {
        var result = await pending;
        return result.IsSuccess
            ? Results.Ok(new AdminResponse<T>("success", result.Value, http.TraceIdentifier))
            : ApiErrors.From(http, result.Error!);
    }

    private static DateTime? Utc(DateTime? at) => at?.Kind switch
    {
        DateTimeKind.Local => at.Value.ToUniversalTime(),
        DateTimeKind.Unspecified => DateTime.SpecifyKind(at.Value, DateTimeKind.Utc),
        _ => at,
    };
}
