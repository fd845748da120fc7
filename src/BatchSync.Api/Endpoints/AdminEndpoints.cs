using BatchSync.Api.Auth;
using BatchSync.Api.ErrorHandling;
using BatchSync.Api.Export;
using BatchSync.Api.OpenApi;
using BatchSync.Application.Admin;
using BatchSync.Application.Sync.GetSyncSession;
using BatchSync.Domain.Audit;
using BatchSync.Domain.Common;
using BatchSync.Domain.Sync;
using Mediator;

namespace BatchSync.Api.Endpoints;

/// <summary>Contract section 6: sessions, records, daily counts and the audit, for admin tokens only.</summary>
internal static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/v1/admin").RequireAuthorization(Policies.Admin).WithTags("Admin");

        admin.MapGet("/sessions", ListSessionsAsync)
            .WithName("AdminListSessions")
            .WithSummary("Sessions, newest activity first, with filters and paging")
            .WithDescription(
                "`status` is open, completed, expired or aborted; `from`/`to` (ISO 8601, e.g. `2023-09-07T00:00:00.000Z`) bound " +
                "when a session started. Page with `limit` and `cursor` (pass `next_cursor`); `page`/`page_size` still work.")
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
            .WithDescription("Every device with records or sessions, by id. The position is its latest location record. Page with `limit` and `cursor`.")
            .Produces<AdminResponse<Page<DeviceDto>>>()
            .ProducesErrors(400, 401, 403, 429)
            .WithMetadata(Examples.AdminDevices);

        admin.MapGet("/devices/{device_id}/records", RecordsAsync)
            .WithName("AdminDeviceRecords")
            .WithSummary("A device's records of one type, in timestamp order, keyset-paged; or exported as CSV, GeoJSON or GPX")
            .WithDescription(
                "`type` is location (the default when left out) or driving. `from`/`to` are ISO 8601 instants or Unix " +
                "milliseconds (to excluded). Page with `limit` and `cursor` (pass `next_cursor`; `after` still works). " +
                "`format=csv|geojson|gpx` streams the whole range instead; a GPX file holds one type: location records " +
                "as a track, or driving events with a position as waypoints.")
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
            .WithSummary("Audit events, newest first, with filters, keyset-paged")
            .WithDescription("`from`/`to` are ISO 8601 instants. Page with `limit` and `cursor` (pass `next_cursor`; `before` with `next_before` still works).")
            .Produces<AdminResponse<AuditPage>>()
            .ProducesErrors(400, 401, 403, 429)
            .WithMetadata(Examples.AdminAudit);
        return app;
    }

    private static Task<IResult> ListSessionsAsync(HttpContext http, ISender sender, CancellationToken cancellationToken)
    {
        var q = new QueryReader(http.Request.Query);
        var query = new ListSessionsQuery(
            q.Text("status"), q.Text("device_id"), q.Text("user_name"), q.Instant("from"), q.Instant("to"),
            q.Int("page") ?? 1, q.Int("limit") ?? q.Int("page_size") ?? 50, q.Cursor());
        return Answer(http, q, () => Named(q, sender.Send(query, cancellationToken)));
    }

    private static Task<IResult> GetSessionAsync(HttpContext http, ISender sender, string sync_id, CancellationToken cancellationToken) =>
        Answer(http, sender.Send(new GetSyncSessionQuery(BearerTokenHandler.CallerOf(http.User), sync_id), cancellationToken));

    private static async Task<IResult> AbortSessionAsync(HttpContext http, ISender sender, string sync_id, CancellationToken cancellationToken)
    {
        var result = await sender.Send(new AbortSessionCommand(sync_id, http.User.Identity?.Name), cancellationToken);
        if (result.IsSuccess && http.Features.Get<Audit.AuditFacts>() is { } facts)
        {
            // Audited with the request like an upload: status, request id, token, address, method and path.
            (facts.Outcome, facts.SyncId, facts.DeviceId, facts.UserName, facts.Reason) =
                (AuditOutcomes.Aborted, result.Value.SyncId, result.Value.DeviceId, result.Value.UserName, "aborted by an administrator");
        }

        return await Answer(http, new ValueTask<Result<SessionSummaryDto>>(result));
    }

    private static async Task<IResult> RecordsAsync(HttpContext http, ISender sender, string device_id, CancellationToken cancellationToken)
    {
        var q = new QueryReader(http.Request.Query);
        var query = new DeviceRecordsQuery(
            device_id, q.Text("type") ?? RecordType.Location.WireName(), Ms(q.Instant("from", unixMilliseconds: true)), Ms(q.Instant("to", unixMilliseconds: true)),
            q.Cursor(olderName: "after"), q.Int("limit") ?? 500);
        var format = q.Text("format");
        if (q.Errors is not null || format is null or "json")
        {
            return await Answer(http, q, () => sender.Send(query, cancellationToken));
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

    private static Task<IResult> DevicesAsync(HttpContext http, ISender sender, CancellationToken cancellationToken)
    {
        var q = new QueryReader(http.Request.Query);
        var query = new ListDevicesQuery(q.Int("page") ?? 1, q.Int("limit") ?? q.Int("page_size") ?? 100, q.Cursor());
        return Answer(http, q, () => Named(q, sender.Send(query, cancellationToken)));
    }

    private static Task<IResult> DailyAsync(HttpContext http, ISender sender, CancellationToken cancellationToken)
    {
        var q = new QueryReader(http.Request.Query);
        var query = new DailyCountsQuery(q.Text("type"), q.Text("device_id"), q.Date("from"), q.Date("to"));
        return Answer(http, q, () => sender.Send(query, cancellationToken));
    }

    private static Task<IResult> AuditAsync(HttpContext http, ISender sender, CancellationToken cancellationToken)
    {
        var q = new QueryReader(http.Request.Query);
        var before = q.Long("before");
        var query = new AuditEventsQuery(
            q.Text("outcome"), q.Int("status"), q.Text("device_id"), q.Text("token_name"), q.Text("sync_id"),
            q.Instant("from"), q.Instant("to"), before, q.Int("limit") ?? 100, q.Cursor());
        return Answer(http, q, () => sender.Send(query, cancellationToken));
    }

    /// <summary>Parameters of the wrong type are answered first, as field errors; then the query runs (and is validated).</summary>
    private static Task<IResult> Answer<T>(HttpContext http, QueryReader q, Func<ValueTask<Result<T>>> run) =>
        q.Errors is { } errors
            ? Task.FromResult(ApiErrors.Envelope(http, StatusCodes.Status400BadRequest, "Validation failed", errors))
            : Answer(http, run());

    /// <summary>A caller that sized its page with the older <c>page_size</c> hears about <c>page_size</c>, not <c>limit</c>.</summary>
    private static async ValueTask<Result<T>> Named<T>(QueryReader q, ValueTask<Result<T>> pending)
    {
        var result = await pending;
        if (result.IsSuccess || q.Text("limit") is not null || q.Text("page_size") is null ||
            result.Error!.Fields is not { } fields || !fields.ContainsKey("limit"))
        {
            return result;
        }

        var renamed = fields.ToDictionary(f => f.Key == "limit" ? "page_size" : f.Key, f => f.Value);
        return result.Error with { Fields = renamed };
    }

    private static long? Ms(DateTime? at) => at is { } value ? new DateTimeOffset(value, TimeSpan.Zero).ToUnixTimeMilliseconds() : null;

    private static async Task<IResult> Answer<T>(HttpContext http, ValueTask<Result<T>> pending)
    {
        var result = await pending;
        return result.IsSuccess
            ? Results.Ok(new AdminResponse<T>("success", result.Value, http.TraceIdentifier))
            : ApiErrors.From(http, result.Error!);
    }
}
