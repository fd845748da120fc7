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
}
