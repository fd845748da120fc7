using System.Security.Cryptography;
using BatchSync.Application.Sync.UploadBatchPart;

namespace BatchSync.Api.Endpoints;

/// <summary>
/// Checks <c>Content-Digest: sha-256=:&lt;base64&gt;:</c> (RFC 9530) against the body as received. The
/// header is a structured-field dictionary; members with parameters keep them after <c>;</c>, which are
/// ignored, as are algorithms other than sha-256 and sha-512.
/// </summary>
internal static class ContentDigest
{
    public const string HeaderName = "Content-Digest";

    /// <summary>The algorithms checked, as RFC 9530 names them.</summary>
    public static readonly string[] Algorithms = ["sha-256", "sha-512"];

    /// <summary>Checks the header against the body as received.</summary>
    public static DigestCheck Verify(string? header, ReadOnlyMemory<byte> body) =>
        Verify(header, algorithm => Hash(algorithm, body.Span));

    /// <summary>Checks the header against digests already computed (of a body as it came, before decoding).</summary>
    public static DigestCheck Verify(string? header, IReadOnlyDictionary<string, byte[]> digests) =>
        Verify(header, algorithm => digests.GetValueOrDefault(algorithm));

    public static byte[]? Hash(string algorithm, ReadOnlySpan<byte> content) => algorithm switch
    {
        "sha-256" => SHA256.HashData(content),
        "sha-512" => SHA512.HashData(content),
        _ => null,
    };

    private static DigestCheck Verify(string? header, Func<string, byte[]?> digestOf)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return DigestCheck.Absent;
        }

        var checkedAny = false;
        foreach (var member in header.Split(','))
        {
            var text = member.Trim();
            var parameters = text.IndexOf(';', StringComparison.Ordinal);
            if (parameters >= 0)
            {
                text = text[..parameters].TrimEnd();
            }

            var equals = text.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return DigestCheck.Malformed;
            }

            var algorithm = text[..equals].Trim().ToLowerInvariant();
            var value = text[(equals + 1)..].Trim();
            if (value.Length < 2 || value[0] != ':' || value[^1] != ':')
            {
                return DigestCheck.Malformed;
            }

            byte[] expected;
            try
            {
                expected = Convert.FromBase64String(value[1..^1]);
            }
            catch (FormatException)
            {
                return DigestCheck.Malformed;
            }

            var actual = Algorithms.Contains(algorithm) ? digestOf(algorithm) : null;
            if (actual is null)
            {
                continue;
            }

            if (!CryptographicOperations.FixedTimeEquals(actual, expected))
            {
                return DigestCheck.Mismatch;
            }

            checkedAny = true;
        }

        return checkedAny ? DigestCheck.Verified : DigestCheck.Absent;
    }
}
