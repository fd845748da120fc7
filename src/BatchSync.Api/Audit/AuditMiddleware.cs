using BatchSync.Application.Abstractions;
using BatchSync.Application.Diagnostics;
using BatchSync.Domain.Audit;

namespace BatchSync.Api.Audit;

/// <summary>What the upload endpoint learned about a request, for its audit event.</summary>
internal sealed class AuditFacts
{
    public string? Outcome { get; set; }

    public string? DeviceId { get; set; }

    public string? UserName { get; set; }

    public string? SyncId { get; set; }

    public int? PartNumber { get; set; }

    public string? Reason { get; set; }
}

/// <summary>
/// Records every upload's outcome and every refusal, on any endpoint, once the answer is known: time,
/// request id, token name (never the token), remote address, device, user, sync and part. Reads are not
/// audited. Recording only queues the event (<see cref="IAuditLog"/>). Seeing every answer, it also
/// counts parts by outcome and times them, counts refused tokens, and logs a refused part's reason.
/// </summary>
internal sealed class AuditMiddleware(
    RequestDelegate next,
    IAuditLog audit,
    TimeProvider time,
    BatchSyncMetrics metrics,
    ILogger<AuditMiddleware> logger)
{
    private const int MaxText = 128;

    public async Task InvokeAsync(HttpContext http)
    {
        var facts = new AuditFacts();
        http.Features.Set(facts);
        var started = time.GetTimestamp();
        try
        {
            await next(http);
        }
        finally
        {
            Measure(http, facts, time.GetElapsedTime(started));
            if (OutcomeOf(http.Response.StatusCode, facts) is { } outcome)
            {
                audit.Record(new AuditEvent
                {
                    At = time.GetUtcNow().UtcDateTime,
                    Outcome = outcome,
                    Status = http.Response.StatusCode,
                    RequestId = http.TraceIdentifier,
                    TokenName = http.User.Identity is { IsAuthenticated: true } identity ? identity.Name : null,
                    RemoteAddress = http.Connection.RemoteIpAddress?.ToString(),
                    Method = http.Request.Method,
                    Path = Cap(http.Request.Path.Value, 256),
                    DeviceId = Cap(facts.DeviceId, MaxText),
                    UserName = Cap(facts.UserName, MaxText),
                    SyncId = Cap(facts.SyncId, MaxText),
                    PartNumber = facts.PartNumber,
                    Reason = Cap(facts.Reason, 512),
                });
            }
        }
    }

    /// <summary>The upload endpoint says what a part did; any other answer is audited only when it refuses.</summary>
    private static string? OutcomeOf(int status, AuditFacts facts) => facts.Outcome ?? status switch
    {
        400 => AuditOutcomes.Rejected,
        409 => AuditOutcomes.Conflict,
        401 or 403 or 413 or 415 or 429 or 503 or 507 => AuditOutcomes.Refused,
        >= 500 => AuditOutcomes.Refused,
        _ => null,
    };

    private void Measure(HttpContext http, AuditFacts facts, TimeSpan elapsed)
    {
        var status = http.Response.StatusCode;
        if (status is 401 or 403)
        {
            metrics.TokenRefused(status == 403 ? "forbidden" : http.Request.Headers.Authorization.Count > 0 ? "unknown" : "missing");
        }

        if (!IsUpload(http))
        {
            return;
        }

        var outcome = facts.Outcome ?? status switch
        {
            400 => BatchSyncMetrics.Outcomes.Rejected,
            409 => BatchSyncMetrics.Outcomes.Conflict,
            _ => BatchSyncMetrics.Outcomes.Refused,
        };
        metrics.PartAnswered(outcome, status, elapsed);
        if (facts.Outcome is null && status != 401)
        {
            // Expected refusals: the client hears why; the log keeps the first reason, never the body.
            logger.LogInformation("Part {PartNumber} of sync {SyncId} refused with {Status}: {Reason}",
                facts.PartNumber, facts.SyncId, status, Cap(facts.Reason, 512));
        }
    }

    private static bool IsUpload(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName
            is "UploadBatchPart" or "UploadBatchPartSeedPath";

    private static string? Cap(string? text, int length) => text is null || text.Length <= length ? text : text[..length];

    /// <summary>The reason an error envelope gave, kept for the audit (the first error's field and message).</summary>
    public static void NoteReason(HttpContext http, string message, IReadOnlyDictionary<string, string[]>? fields)
    {
        if (http.Features.Get<AuditFacts>() is { Reason: null } facts)
        {
            var first = fields?.FirstOrDefault();
            facts.Reason = first is { Key: not null } f && f.Value.Length > 0 ? $"{message}: {f.Key} {f.Value[0]}" : message;
        }
    }
}
