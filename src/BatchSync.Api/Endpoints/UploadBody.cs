using System.Buffers;
using System.IO.Pipelines;
using BatchSync.Api.ErrorHandling;
using BatchSync.Application.Sync.UploadBatchPart;

namespace BatchSync.Api.Endpoints;

/// <summary>
/// An upload's body as HTTP brings it: JSON, in an encoding the server decodes, within the size limit,
/// with what its <c>Content-Digest</c> header says about it. Either the bytes or the answer refusing them.
/// </summary>
internal readonly record struct UploadBody(ReadOnlyMemory<byte> Bytes, DigestCheck Digest, IResult? Refusal)
{
    private static readonly string[] SupportedEncodings = ["gzip", "br", "deflate", "identity"];

    public static async Task<UploadBody> ReadAsync(HttpContext http, long limit, CancellationToken cancellationToken)
    {
        if (!IsJson(http.Request.ContentType))
        {
            return Refuse(ApiErrors.Envelope(http, StatusCodes.Status415UnsupportedMediaType, "Content-Type must be application/json"));
        }

        var encoding = http.Request.Headers.ContentEncoding.ToString();
        if (encoding.Length > 0 && !SupportedEncodings.Contains(encoding.Trim().ToLowerInvariant()))
        {
            return Refuse(ApiErrors.Envelope(http, StatusCodes.Status415UnsupportedMediaType, "Content-Encoding must be gzip, br or deflate, or none"));
        }

        if (http.Request.ContentLength > limit)
        {
            return Refuse(TooLarge(http, limit));
        }

        ReadOnlyMemory<byte>? body;
        try
        {
            body = await ReadWithinAsync(http.Request.BodyReader, limit, cancellationToken);
        }
        catch (Exception e) when (EncodedBodyDigest.SentEncoding(http) is { } sent && IsUndecodable(e))
        {
            // A body that claims an encoding it does not have can never succeed: a 400, not a retryable 500.
            return Refuse(ApiErrors.Envelope(http, StatusCodes.Status400BadRequest, "Body is not valid compressed data",
                new Dictionary<string, string[]> { ["body"] = [$"is not valid {sent} data, as its Content-Encoding says it is"] }));
        }

        if (body is null)
        {
            return Refuse(TooLarge(http, limit));
        }

        var header = http.Request.Headers[ContentDigest.HeaderName].ToString();
        var digest = http.Features.Get<EncodedBodyDigest>() is { } encoded
            ? ContentDigest.Verify(header, await encoded.FinishAsync(limit, cancellationToken))
            : ContentDigest.Verify(header, body.Value);
        return new UploadBody(body.Value, digest, null);
    }

    private static UploadBody Refuse(IResult answer) => new(ReadOnlyMemory<byte>.Empty, DigestCheck.Absent, answer);

    private static bool IsJson(string? contentType) =>
        contentType is not null &&
        (contentType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
         contentType.StartsWith("application/json;", StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads the body, giving up (null) as soon as it passes the limit; nothing larger is buffered.</summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadWithinAsync(PipeReader reader, long limit, CancellationToken cancellationToken)
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
}
