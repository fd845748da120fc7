using System.Buffers;
using System.IO.Pipelines;
using BatchSync.Api.ErrorHandling;
using BatchSync.Application.Sync.UploadBatchPart;

namespace BatchSync.Api.Endpoints;

/// <summary>
/// An upload's body as HTTP brings it: JSON, in an encoding the server decodes, within the size limit,
/// with what its <c>Content-Digest</c> header says about it. Either the bytes or the answer refusing them.
/// The bytes are in an array of the shared pool, given back with <see cref="Release"/> once read: a
/// part's body, tens or hundreds of kilobytes, is then not allocated again for every request.
/// </summary>
internal readonly record struct UploadBody(ReadOnlyMemory<byte> Bytes, DigestCheck Digest, IResult? Refusal, byte[]? Rented = null)
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

        (byte[] Array, int Length)? body;
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

        var (array, length) = body.Value;
        try
        {
            var header = http.Request.Headers[ContentDigest.HeaderName].ToString();
            var digest = http.Features.Get<EncodedBodyDigest>() is { } encoded
                ? ContentDigest.Verify(header, await encoded.FinishAsync(limit, cancellationToken))
                : ContentDigest.Verify(header, array.AsMemory(0, length));
            return new UploadBody(array.AsMemory(0, length), digest, null, array);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(array);
            throw;
        }
    }

    /// <summary>Gives the body's array back to the pool: nothing may read <see cref="Bytes"/> after this.</summary>
    public void Release()
    {
        if (Rented is not null)
        {
            ArrayPool<byte>.Shared.Return(Rented);
        }
    }

    private static UploadBody Refuse(IResult answer) => new(ReadOnlyMemory<byte>.Empty, DigestCheck.Absent, answer);

    private static bool IsJson(string? contentType) =>
        contentType is not null &&
        (contentType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
         contentType.StartsWith("application/json;", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Reads the body into an array rented from the shared pool, giving up (null) as soon as it passes the
    /// limit; nothing larger is buffered.
    /// </summary>
    private static async Task<(byte[] Array, int Length)?> ReadWithinAsync(PipeReader reader, long limit, CancellationToken cancellationToken)
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
                var length = (int)read.Buffer.Length;
                var body = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
                read.Buffer.CopyTo(body);
                reader.AdvanceTo(read.Buffer.End);
                return (body, length);
            }

            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    /// <summary>What the decoders throw for corrupt or truncated input (Brotli's decoder throws InvalidOperationException).</summary>
    private static bool IsUndecodable(Exception e) => e is InvalidDataException or InvalidOperationException;

    private static IResult TooLarge(HttpContext http, long limit) =>
        ApiErrors.Envelope(http, StatusCodes.Status413PayloadTooLarge, $"Request body larger than {limit} bytes");
}
