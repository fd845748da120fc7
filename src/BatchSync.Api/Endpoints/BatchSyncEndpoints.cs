using System.Buffers;
using System.IO.Pipelines;
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
        if (!IsJson(http.Request.ContentType))
        {
            return ApiErrors.Envelope(http, StatusCodes.Status415UnsupportedMediaType, "Content-Type must be application/json");
        }

        var encoding = http.Request.Headers.ContentEncoding.ToString();
        if (encoding.Length > 0 && !SupportedEncodings.Contains(encoding.Trim().ToLowerInvariant()))
        {
            return ApiErrors.Envelope(http, StatusCodes.Status415UnsupportedMediaType, "Content-Encoding must be gzip, br or deflate, or none");
        }

        var limit = options.Value.Limits.MaxRequestBodyBytes;
        if (http.Request.ContentLength > limit)
        {
            return TooLarge(http, limit);
        }

        ReadOnlyMemory<byte>? body;
        try
        {
            body = await ReadBodyAsync(http.Request.BodyReader, limit, cancellationToken);
        }
        catch (Exception e) when (EncodedBodyDigest.SentEncoding(http) is { } sent && IsUndecodable(e))
        {
            // A body that claims an encoding it does not have can never succeed: a 400, not a retryable 500.
            return ApiErrors.Envelope(http, StatusCodes.Status400BadRequest, "Body is not valid compressed data",
                new Dictionary<string, string[]> { ["body"] = [$"is not valid {sent} data, as its Content-Encoding says it is"] });
        }

        if (body is null)
        {
            return TooLarge(http, limit);
        }

        var header = http.Request.Headers[ContentDigest.HeaderName].ToString();
        var digest = http.Features.Get<EncodedBodyDigest>() is { } encoded
            ? ContentDigest.Verify(header, await encoded.FinishAsync(limit, cancellationToken))
            : ContentDigest.Verify(header, body.Value);
        UploadBatchPartCommand command;
        try
        {
            command = BatchPartReader.Read(body.Value, BearerTokenHandler.CallerOf(http.User), digest);
            BatchSyncTracing.Step("batchsync.read");
        }
        catch (JsonException e)
        {
            return ApiErrors.Envelope(http, StatusCodes.Status400BadRequest, "Malformed JSON",
                new Dictionary<string, string[]> { ["body"] = [Describe(e)] });
        }

        if (http.Features.Get<AuditFacts>() is { } facts)
        {
            (facts.DeviceId, facts.UserName, facts.SyncId, facts.PartNumber) =
                (command.DeviceId, command.UserName, command.SyncId, command.PartNumber);
        }

        var result = await sender.Send(command, cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiErrors.From(http, result.Error!);
        }

        var r = result.Value;
        if (http.Features.Get<AuditFacts>() is { } outcome)
        {
            outcome.Outcome = r.SyncComplete && !r.Duplicate ? AuditOutcomes.Completed
                : r.Duplicate ? AuditOutcomes.Duplicate
                : AuditOutcomes.Stored;
        }

        return Results.Json(
            new UploadPartResponseBody(
                "success",
                r.Message,
                r.SyncId,
                r.PartNumber,
                r.TotalParts,
                r.RecordsCount,
                r.Duplicate ? true : null,
                r.SyncComplete ? true : null,
                r.ProcessingResults,
                r.NewRecords,
                r.AlreadyStored,
                http.TraceIdentifier),
            WireJsonContext.Default.UploadPartResponseBody);
    }

    private static readonly string[] SupportedEncodings = ["gzip", "br", "deflate", "identity"];

    private static bool IsJson(string? contentType) =>
        contentType is not null &&
        (contentType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
         contentType.StartsWith("application/json;", StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads the body, giving up (null) as soon as it passes the limit; nothing larger is buffered.</summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(PipeReader reader, long limit, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            if (read.Buffer.Length > limit)
            {
                reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                return null;
            }

            if (read.IsCompleted)
            {
                var body = read.Buffer.ToArray();
                reader.AdvanceTo(read.Buffer.End);
                return body;
            }

            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    /// <summary>What the decoders throw for corrupt or truncated input (Brotli's decoder throws InvalidOperationException).</summary>
    private static bool IsUndecodable(Exception e) => e is InvalidDataException or InvalidOperationException;

    private static IResult TooLarge(HttpContext http, long limit) =>
        ApiErrors.Envelope(http, StatusCodes.Status413PayloadTooLarge, $"Request body larger than {limit} bytes");

    private static string Describe(JsonException e) =>
        e.LineNumber is { } line ? $"not valid JSON (line {line + 1}, byte {e.BytePositionInLine + 1})"
        : e.InnerException is InvalidOperationException ? "not valid JSON text: " + e.Message
        : "not valid JSON";
}
