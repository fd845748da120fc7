using System.Text.Json;
using BatchSync.Api.Audit;
using BatchSync.Api.Auth;
using BatchSync.Api.ErrorHandling;
using BatchSync.Api.OpenApi;
using BatchSync.Application.Common;
using BatchSync.Application.Diagnostics;
using BatchSync.Application.Sync.UploadBatchPart;
using BatchSync.Domain.Audit;
using Mediator;
using Microsoft.Extensions.Options;

namespace BatchSync.Api.Endpoints;

internal static class BatchSyncEndpoints
{
    /// <summary>The seed's path, which existing apps post to, and the same handler under a clean path.</summary>
    public static IEndpointRouteBuilder MapBatchSync(this IEndpointRouteBuilder app)
    {
        foreach (var path in (string[])["/batch-sync.php", "/api/v1/batch-sync"])
        {
            app.MapPost(path, UploadAsync)
                .RequireAuthorization(Policies.Device)
                .WithTags("Upload")
                .WithName(path.EndsWith(".php", StringComparison.Ordinal) ? "UploadBatchPartSeedPath" : "UploadBatchPart")
                .WithSummary(path.EndsWith(".php", StringComparison.Ordinal) ? "Upload one part (the seed's path)" : "Upload one part")
                .WithDescription(
                    "Stores one numbered part of a sync. Parts may come in any order, concurrently and more than once; " +
                    "the part that completes the sync merges every record into the dated log tables and files and " +
                    "answers with `sync_complete` and `processing_results`; the same part again answers `duplicate`. " +
                    "An optional `checksum` field (`sha256:` and the hex SHA-256 of the `records` array's bytes exactly as " +
                    "they are in the body) and an RFC 9530 `Content-Digest` header are verified before anything is " +
                    "stored. The example carries no checksum because Swagger UI re-formats a body before sending it; " +
                    "a client computes it over the bytes it sends.")
                .Accepts<UploadPartRequestBody>("application/json")
                .Produces<UploadPartResponseBody>(StatusCodes.Status200OK)
                .ProducesErrors(400, 401, 403, 409, 413, 415, 429, 500, 507)
                .WithMetadata(Examples.Upload);
        }

        return app;
    }

    private static async Task<IResult> UploadAsync(
        HttpContext http,
        ISender sender,
        IOptions<BatchSyncOptions> options,
        CancellationToken cancellationToken)
    {
        var body = await UploadBody.ReadAsync(http, options.Value.Limits.MaxRequestBodyBytes, cancellationToken);
        if (body.Refusal is { } refused)
        {
            return refused;
        }

        UploadBatchPartCommand command;
        try
        {
            command = BatchPartReader.Read(body.Bytes, BearerTokenHandler.CallerOf(http.User), body.Digest);
            BatchSyncTracing.Step("batchsync.read");
        }
        catch (JsonException e)
        {
            return ApiErrors.Envelope(http, StatusCodes.Status400BadRequest, "Malformed JSON",
                new Dictionary<string, string[]> { ["body"] = [Describe(e)] });
        }
        finally
        {
            // The command holds copies of what it needs; the body's bytes are not read again.
            body.Release();
        }

        var facts = http.Features.Get<AuditFacts>();
        if (facts is not null)
        {
            // The audit names what the part said, and nothing it did not say.
            facts.DeviceId = command.Has(PartFields.DeviceId) ? command.DeviceId : null;
            facts.UserName = command.Has(PartFields.UserName) ? command.UserName : null;
            facts.SyncId = command.Has(PartFields.SyncId) ? command.SyncId : null;
            facts.PartNumber = command.Has(PartFields.PartNumber) ? command.PartNumber : null;
        }

        var result = await sender.Send(command, cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiErrors.From(http, result.Error!);
        }

        var r = result.Value;
        if (facts is not null)
        {
            facts.Outcome = r.SyncComplete && !r.Duplicate ? AuditOutcomes.Completed
                : r.Duplicate ? AuditOutcomes.Duplicate
                : AuditOutcomes.Stored;
        }

        return Results.Json(UploadPartResponseBody.From(r, http.TraceIdentifier), WireJsonContext.Default.UploadPartResponseBody);
    }

    private static string Describe(JsonException e) =>
        e.LineNumber is { } line ? $"not valid JSON (line {line + 1}, byte {e.BytePositionInLine + 1})"
        : e.InnerException is InvalidOperationException ? "not valid JSON text: " + e.Message
        : "not valid JSON";
}
