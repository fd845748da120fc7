using System.Security.Cryptography;

namespace BatchSync.Api.Endpoints;

/// <summary>
/// RFC 9530 digests are over the content as sent, so for a gzip body they are over the compressed
/// bytes, which request decompression hides from the endpoint. This middleware, ahead of it, hashes
/// the raw bytes as they pass; the endpoint reads the digests once it has read the body.
/// </summary>
internal sealed class EncodedBodyDigest : IDisposable
{
    private readonly Dictionary<string, IncrementalHash> _hashes = new()
    {
        ["sha-256"] = IncrementalHash.CreateHash(HashAlgorithmName.SHA256),
        ["sha-512"] = IncrementalHash.CreateHash(HashAlgorithmName.SHA512),
    };

    private Stream? _hashing;

    /// <summary>The body's Content-Encoding as it came (request decompression removes the header).</summary>
    public static string? SentEncoding(HttpContext http) => http.Items[nameof(SentEncoding)] as string;

    public static RequestDelegate Middleware(RequestDelegate next) => async http =>
    {
        var encoding = http.Request.Headers.ContentEncoding.ToString();
        if (encoding.Length > 0)
        {
            http.Items[nameof(SentEncoding)] = encoding.Trim().ToLowerInvariant();
        }

        if (encoding.Length == 0 || encoding.Equals("identity", StringComparison.OrdinalIgnoreCase) ||
            !http.Request.Headers.ContainsKey(ContentDigest.HeaderName))
        {
            await next(http);
            return;
        }

        var raw = http.Request.Body;
        using var digest = new EncodedBodyDigest();
        digest._hashing = new HashingStream(raw, digest._hashes.Values);
        http.Features.Set(digest);
        http.Request.Body = digest._hashing;
        try
        {
            await next(http);
        }
        finally
        {
            http.Request.Body = raw;
        }
    };

    /// <summary>Frees the hashes; the request's own stream is the server's to close.</summary>
    public void Dispose()
    {
        foreach (var hash in _hashes.Values)
        {
            hash.Dispose();
        }
    }

    /// <summary>The digests of every raw byte: what the decoder left unread is read (up to a bound) first.</summary>
    public async Task<IReadOnlyDictionary<string, byte[]>> FinishAsync(long limit, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        long drained = 0;
        int read;
        while (drained < limit && (read = await _hashing!.ReadAsync(buffer, cancellationToken)) > 0)
        {
            drained += read;
        }

        return _hashes.ToDictionary(h => h.Key, h => h.Value.GetHashAndReset());
    }

    /// <summary>Reads through to the raw body, feeding every byte to the hashes.</summary>
    private sealed class HashingStream(Stream inner, IEnumerable<IncrementalHash> hashes) : Stream
    {
        private readonly IncrementalHash[] _hashes = [.. hashes];

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            foreach (var hash in _hashes)
            {
                hash.AppendData(buffer.Span[..read]);
            }

            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            foreach (var hash in _hashes)
            {
                hash.AppendData(buffer, offset, read);
            }

            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
