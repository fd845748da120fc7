using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BatchSync.IntegrationTests.Infrastructure;

namespace BatchSync.IntegrationTests;

public class ChecksumTests(BatchSyncApp app) : IClassFixture<BatchSyncApp>
{
    private readonly HttpClient _client = app.ClientWith(BatchSyncApp.DeviceToken);

    /// <summary>What a JavaScript client computes: sha256 of JSON.stringify(records).</summary>
    private static string ChecksumOf(IEnumerable<JsonObject> records) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            new JsonArray([.. records.Select(r => (JsonNode)r.DeepClone())]).ToJsonString())));

    /// <summary>The body with a checksum field in front, its other bytes untouched.</summary>
    private static string WithChecksum(string body, string checksum) =>
        "{\"checksum\":\"" + checksum + "\"," + body.TrimStart()[1..];

    private static string ContentDigestOf(string body) =>
        $"sha-256=:{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(body)))}:";

    private Task<HttpResponseMessage> Post(string body, string? contentDigest = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/batch-sync")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (contentDigest is not null)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Digest", contentDigest);
        }

        return _client.SendAsync(request);
    }

    private async Task<JsonElement> Session(string syncId) =>
        await (await _client.GetAsync($"/api/v1/sync-sessions/{syncId}")).Json();

    [Fact]
    public async Task RightChecksum_StoredAndShownInStatus()
    {
        var device = SyncData.NewId("sum");
        var syncId = SyncData.NewId(device);
        var records = SyncData.Records(5);
        var checksum = ChecksumOf(records);

        var response = await Post(WithChecksum(SyncData.Part(syncId, device, 1, 2, records), checksum));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var part = (await Session(syncId)).GetProperty("parts")[0];
        Assert.Equal(checksum, part.GetProperty("checksum").GetString());
        Assert.Equal(5, part.GetProperty("record_count").GetInt32());
    }

    [Fact]
    public async Task NoChecksum_ServerStoresTheOneTheClientWouldHaveSent()
    {
        var device = SyncData.NewId("nosum");
        var syncId = SyncData.NewId(device);
        var records = SyncData.Records(5);

        (await Post(SyncData.Part(syncId, device, 1, 2, records))).EnsureSuccessStatusCode();

        Assert.Equal(ChecksumOf(records), (await Session(syncId)).GetProperty("parts")[0].GetProperty("checksum").GetString());
    }

    [Theory]
    [InlineData("sha256:0000000000000000000000000000000000000000000000000000000000000000", "does not match the records")]
    [InlineData("md5:abc", "64 hex digits")]
    [InlineData("sha256:xyz", "64 hex digits")]
    public async Task WrongChecksum_400OnChecksumAndNothingStored(string checksum, string expected)
    {
        var device = SyncData.NewId("badsum");
        var syncId = SyncData.NewId(device);

        var response = await Post(WithChecksum(SyncData.Part(syncId, device, 1, 1, SyncData.Records(3)), checksum));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Json();
        Assert.Contains(expected, body.GetProperty("errors").GetProperty("checksum")[0].GetString());
        Assert.False(body.GetProperty("retryable").GetBoolean());
        Assert.Equal(0L, app.Scalar<long>("SELECT COUNT(*) FROM sync_sessions WHERE sync_id = @p", syncId));
        Assert.Equal(0L, app.Scalar<long>("SELECT COUNT(*) FROM location_logs WHERE device_id = @p", device));
    }

    [Fact]
    public async Task ChecksumOfOneRecordChangedInTransit_400AndNothingStored()
    {
        var device = SyncData.NewId("flip");
        var syncId = SyncData.NewId(device);
        var records = SyncData.Records(3);
        var body = WithChecksum(SyncData.Part(syncId, device, 1, 1, records), ChecksumOf(records));
        var corrupted = body.Replace("32.00001", "32.00002", StringComparison.Ordinal);
        Assert.NotEqual(body, corrupted);

        var response = await Post(corrupted);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0L, app.Scalar<long>("SELECT COUNT(*) FROM location_logs WHERE device_id = @p", device));
    }

    [Fact]
    public async Task ContentDigest_RightAccepted_WrongOrMalformed400()
    {
        var device = SyncData.NewId("digest");
        var syncId = SyncData.NewId(device);
        var body = SyncData.Part(syncId, device, 1, 2, SyncData.Records(3));
        var other = SyncData.Part(syncId, device, 1, 2, SyncData.Records(4));

        var wrong = await Post(body, ContentDigestOf(other));
        var malformed = await Post(body, "sha-256=not-base64");
        var right = await Post(body, $"sha-512=:{Convert.ToBase64String(SHA512.HashData(Encoding.UTF8.GetBytes(body)))}:, " + ContentDigestOf(body));

        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("Content-Digest", (await wrong.Json()).GetProperty("errors").GetProperty("checksum")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal(1, (await Session(syncId)).GetProperty("parts").GetArrayLength());
    }

    [Fact]
    public async Task SamePartSpacedDifferently_Duplicate_OtherRecords_409()
    {
        var device = SyncData.NewId("respace");
        var syncId = SyncData.NewId(device);
        var records = SyncData.Records(4);
        var compact = SyncData.Part(syncId, device, 1, 2, records);
        var spaced = JsonNode.Parse(compact)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

        (await Post(compact)).EnsureSuccessStatusCode();
        var again = await Post(WithChecksum(spaced, ChecksumOf(records)));
        var different = await Post(SyncData.Part(syncId, device, 1, 2, SyncData.Records(4, latitude: 10)));

        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode); // the client's checksum is of its compact records, not of these bytes
        var resend = await Post(spaced);
        Assert.True((await resend.Json()).GetProperty("duplicate").GetBoolean());
        Assert.Equal(HttpStatusCode.Conflict, different.StatusCode);
        Assert.Equal(ChecksumOf(records), (await Session(syncId)).GetProperty("parts")[0].GetProperty("checksum").GetString());
    }

    [Fact]
    public async Task RequireChecksum_PartWithoutOne400_WithFieldOrDigestAccepted()
    {
        using var strict = new BatchSyncApp(new() { ["BatchSync:Integrity:RequireChecksum"] = "true" });
        var client = strict.ClientWith(BatchSyncApp.DeviceToken);
        var device = SyncData.NewId("strict");
        var syncId = SyncData.NewId(device);
        var records = SyncData.Records(6);
        var parts = SyncData.Parts(syncId, device, records, 3);

        var bare = await client.PostPart(parts[0]);
        var withField = await client.PostPart(WithChecksum(parts[0], ChecksumOf(records.Take(3))));
        var withDigest = new HttpRequestMessage(HttpMethod.Post, "/batch-sync.php") { Content = new StringContent(parts[1], Encoding.UTF8, "application/json") };
        withDigest.Content.Headers.TryAddWithoutValidation("Content-Digest", ContentDigestOf(parts[1]));
        var completed = await client.SendAsync(withDigest);

        Assert.Equal(HttpStatusCode.BadRequest, bare.StatusCode);
        Assert.Contains("is required", (await bare.Json()).GetProperty("errors").GetProperty("checksum")[0].GetString());
        Assert.Equal(HttpStatusCode.OK, withField.StatusCode);
        Assert.True((await completed.Json()).GetProperty("sync_complete").GetBoolean());
    }
}
