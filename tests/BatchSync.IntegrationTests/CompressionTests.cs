using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using BatchSync.IntegrationTests.Infrastructure;

namespace BatchSync.IntegrationTests;

/// <summary>Bodies sent with <c>Content-Encoding: gzip</c>: the size limit applies to what they decompress to.</summary>
public class CompressionTests(BatchSyncApp app) : IClassFixture<BatchSyncApp>
{
    private readonly HttpClient _client = app.ClientWith(BatchSyncApp.DeviceToken);

    private static byte[] Gzip(byte[] body)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal))
        {
            gzip.Write(body);
        }

        return output.ToArray();
    }

    private Task<HttpResponseMessage> Post(byte[] content, string encoding, string? contentDigest = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/batch-sync") { Content = new ByteArrayContent(content) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Content.Headers.ContentEncoding.Add(encoding);
        if (contentDigest is not null)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Digest", contentDigest);
        }

        return _client.SendAsync(request);
    }

    private static string Sha256Digest(byte[] bytes) => $"sha-256=:{Convert.ToBase64String(SHA256.HashData(bytes))}:";

    [Fact]
    public async Task GzipBody_Stored_ContentDigestCheckedOverTheCompressedBytes()
    {
        var device = SyncData.NewId("gzip");
        var records = SyncData.Records(100);
        var parts = SyncData.Parts(SyncData.NewId(device), device, records, 50).Select(Encoding.UTF8.GetBytes).ToList();
        var first = Gzip(parts[0]);
        var second = Gzip(parts[1]);

        var overPlain = await Post(second, "gzip", Sha256Digest(parts[1]));
        var plain = await Post(first, "gzip");
        var digested = await Post(second, "gzip", Sha256Digest(second));

        Assert.Equal(HttpStatusCode.BadRequest, overPlain.StatusCode);
        Assert.Contains("Content-Digest", await overPlain.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.True((await digested.Json()).GetProperty("sync_complete").GetBoolean());
        Assert.True(first.Length * 4 < parts[0].Length, $"{parts[0].Length} bytes compressed to {first.Length}");
        StoredLogs.AssertExactlyOnce(app.DataDirectory, device, records);
    }

    [Fact]
    public async Task GzipBomb_413OnTheDecompressedSize_AndUnknownEncoding415()
    {
        var device = SyncData.NewId("bomb");
        var body = Encoding.UTF8.GetBytes(SyncData.Part(SyncData.NewId(device), device, 1, 1, SyncData.Records(1)).Replace(
            "\"records\"", $"\"padding\":\"{new string(' ', 8 * 1024 * 1024)}\",\"records\"", StringComparison.Ordinal));
        var bomb = Gzip(body);

        var tooLarge = await Post(bomb, "gzip");
        var unknown = await Post(Encoding.UTF8.GetBytes("{}"), "zstd");

        Assert.True(bomb.Length < 64 * 1024);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, unknown.StatusCode);
        Assert.Empty(StoredLogs.RecordsOf(app.DataDirectory, device));
    }

    public static TheoryData<string, string> UndecodableBodies => new()
    {
        { "gzip", "garbage" }, { "gzip", "truncated" }, { "gzip", "plain" },
        { "deflate", "garbage" }, { "deflate", "truncated" }, { "deflate", "plain" },
        { "br", "garbage" }, { "br", "truncated" }, { "br", "plain" },
    };

    [Theory]
    [MemberData(nameof(UndecodableBodies))]
    public async Task BodyNotTheEncodingItClaims_400NamingTheBody_NotRetryable(string encoding, string kind)
    {
        var device = SyncData.NewId("undecodable");
        var json = Encoding.UTF8.GetBytes(SyncData.Part(SyncData.NewId(device), device, 1, 1, SyncData.Records(20)));
        var compressed = Compress(encoding, json);
        var body = kind switch
        {
            "garbage" => [.. Enumerable.Range(0, 200).Select(i => (byte)((i * 37) + 11))],
            "truncated" => compressed[..(compressed.Length / 2)],
            _ => json,
        };

        var response = await Post(body, encoding);
        var answer = await response.Json();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(answer.GetProperty("errors").TryGetProperty("body", out _), answer.ToString());
        Assert.False(answer.GetProperty("retryable").GetBoolean());
        Assert.Empty(StoredLogs.RecordsOf(app.DataDirectory, device));
    }

    private static byte[] Compress(string encoding, byte[] body)
    {
        using var output = new MemoryStream();
        using (Stream compressor = encoding switch
        {
            "gzip" => new GZipStream(output, CompressionLevel.Optimal),
            "deflate" => new DeflateStream(output, CompressionLevel.Optimal),
            _ => new BrotliStream(output, CompressionLevel.Optimal),
        })
        {
            compressor.Write(body);
        }

        return output.ToArray();
    }
}
