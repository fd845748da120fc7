using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BatchSync.IntegrationTests.Infrastructure;

namespace BatchSync.IntegrationTests;

/// <summary>
/// Thousands of generated malformed and boundary requests: each is answered with a 4xx (or a 200 when
/// the mutation happened to leave it valid) in the contract's envelope, never a 5xx; the server stays
/// healthy, nothing stored before is changed, no path leaves the data folder, and a valid sync
/// afterwards completes with its data intact.
/// </summary>
public sealed class HostileInputTests : IDisposable
{
    private const int Seed = 20261128;
    private readonly BatchSyncApp _app = new(new()
    {
        ["BatchSync:Limits:MaxSyncSessions"] = "100000",
        ["BatchSync:Limits:MaxOpenSyncsPerDevice"] = "100000",
        ["BatchSync:Limits:RequestsPerSecondPerToken"] = "100000",
        ["BatchSync:Limits:RequestBurstPerToken"] = "100000",
        ["BatchSync:Limits:MaxRequestBodyBytes"] = "262144",
    });

    public void Dispose() => _app.Dispose();

    private static readonly string[] HostileIds =
    [
        "..", ".", "../../etc/passwd", "a/b", "a\\b", "%2e%2e", "a\u0000b", "con", new string('x', 129), "", " ", "a b",
        "日本", "a\nb", "/abs", "~", "$(rm -rf)", "a;b", "*", "a\u202eb",
    ];

    private static readonly JsonNode?[] OddValues =
    [
        null, true, false, 0, -1, int.MaxValue, long.MaxValue, -0.0, 1e308, 0.1, "", "x", new string('s', 5000),
        new JsonArray(), new JsonObject(), new JsonArray(1, 2, 3), JsonNode.Parse("{\"a\":{\"b\":{\"c\":[1]}}}"),
    ];

    private static readonly string[] RawFragments =
    [
        "NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1" + new string('0', 400), "0x10", "01", "+1", "1.", ".5",
        "\"\\ud800\"", "\"\\u0000\"", "undefined", "nul", "tru",
    ];

    [Fact]
    public async Task ThousandsOfMalformedAndBoundaryRequests_All4xxInEnvelope_ServerIntactAfterwards()
    {
        var client = _app.ClientWith(BatchSyncApp.DeviceToken);
        var keeper = SyncData.NewId("keeper");
        var kept = SyncData.Records(30);
        foreach (var part in SyncData.Parts(SyncData.NewId(keeper), keeper, kept, 10))
        {
            (await client.PostPart(part)).EnsureSuccessStatusCode();
        }

        var before = StoredLogs.RecordsOf(_app.DataDirectory, keeper);
        var keeperFile = _app.LogFile("location", SyncData.Date(SyncData.Start), keeper);
        var keeperLines = File.ReadAllText(keeperFile);

        var random = new Random(Seed);
        var statuses = new Dictionary<int, int>();
        for (var i = 0; i < 3000; i++)
        {
            var (request, description) = Generate(random, i);
            using var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(status is 200 or 400 or 403 or 404 or 405 or 409 or 413 or 415, $"#{i} ({description}): {status} {text}");
            if (status == 200)
            {
                continue;
            }

            JsonElement body;
            try
            {
                body = JsonDocument.Parse(text).RootElement;
            }
            catch (JsonException)
            {
                Assert.Fail($"#{i} ({description}): {status} without a JSON envelope: {text}");
                throw;
            }

            Assert.True(
                body.GetProperty("status").GetString() == "error" &&
                body.GetProperty("message").GetString() is { Length: > 0 } &&
                !body.GetProperty("retryable").GetBoolean() &&
                body.GetProperty("request_id").GetString() is { Length: > 0 },
                $"#{i} ({description}): {text}");
        }

        Assert.True(statuses.GetValueOrDefault(400) > 1000, string.Join(", ", statuses));
        Assert.Equal(HttpStatusCode.OK, (await _app.ClientWith(null).GetAsync("/health/ready")).StatusCode);
        Assert.Equal(before, StoredLogs.RecordsOf(_app.DataDirectory, keeper));
        Assert.Equal(keeperLines, File.ReadAllText(keeperFile));
        AssertNothingOutsideTheLayout();

        var after = SyncData.NewId("after");
        var records = SyncData.Records(50, SyncData.Start + 7_200_000);
        JsonElement last = default;
        foreach (var part in SyncData.Parts(SyncData.NewId(after), after, records, 25))
        {
            var response = await client.PostPart(part);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            last = await response.Json();
        }

        Assert.True(last.GetProperty("sync_complete").GetBoolean());
        StoredLogs.AssertExactlyOnce(_app.DataDirectory, after, records);
        StoredLogs.AssertFilesMatchTables(_app.DataDirectory);
    }

    /// <summary>Every file the server wrote is its database, its lock, or a dated file of a valid device id.</summary>
    private void AssertNothingOutsideTheLayout()
    {
        foreach (var file in Directory.EnumerateFiles(_app.DataDirectory, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(_app.DataDirectory, file);
            Assert.Matches(
                @"^(batchsync\.(db|db-wal|db-shm|lock)|logs/(location|driving)/\d{4}-\d\d-\d\d/[A-Za-z0-9_.:@-]{1,128}\.jsonl)$",
                relative);
        }

        var parent = Path.GetDirectoryName(_app.DataDirectory)!;
        Assert.False(Directory.Exists(Path.Combine(parent, "etc")));
    }

    private static (HttpRequestMessage Request, string Description) Generate(Random random, int i)
    {
        // Ids of a fixed length and content, so that the seed alone decides every request.
        var device = $"fuzz_{i:D4}";
        var valid = JsonNode.Parse(SyncData.Part($"{device}_sync", device, 1, 1 + random.Next(3), SyncData.Records(1 + random.Next(5))))!.AsObject();
        string body;
        string description;
        var contentType = "application/json";
        string? encoding = null;
        byte[]? encoded = null;
        switch (random.Next(13))
        {
            case 0:
                var field = Pick(random, "sync_id", "device_id");
                valid[field] = Pick(random, HostileIds);
                (body, description) = (valid.ToJsonString(), $"hostile {field}");
                break;
            case 1:
                var top = Pick(random, "sync_id", "device_id", "user_name", "part_number", "total_parts", "records", "checksum");
                valid[top] = Pick(random, OddValues)?.DeepClone();
                (body, description) = (valid.ToJsonString(), $"odd {top}");
                break;
            case 2:
                var record = valid["records"]![0]!.AsObject();
                var recordField = Pick(random, "type", "timestamp", "latitude", "longitude", "accuracy", "speed", "bearing", "battery_level", "event_type", "location", "network_type", "provider", "altitude");
                record[recordField] = Pick(random, OddValues)?.DeepClone();
                (body, description) = (valid.ToJsonString(), $"odd records[0].{recordField}");
                break;
            case 3:
                var raw = valid.ToJsonString();
                var number = Pick(random, "\"latitude\":", "\"timestamp\":", "\"part_number\":", "\"speed\":");
                var at = raw.IndexOf(number, StringComparison.Ordinal);
                var end = raw.IndexOfAny([',', '}'], at + number.Length);
                body = at < 0 ? raw : raw[..(at + number.Length)] + Pick(random, RawFragments) + raw[end..];
                description = $"raw number in {number}";
                break;
            case 4:
                var bytes = valid.ToJsonString();
                var cut = random.Next(bytes.Length);
                (body, description) = (random.Next(2) == 0 ? bytes[..cut] : bytes.Remove(cut, 1).Insert(cut, ((char)random.Next(32, 127)).ToString()), "byte mutation");
                break;
            case 5:
                var depth = 40 + random.Next(200);
                (body, description) = (new string('[', depth) + new string(']', depth), $"nesting {depth}");
                break;
            case 6:
                valid["records"]![0]!["note"] = new string('n', 20_000 + random.Next(200_000));
                (body, description) = (valid.ToJsonString(), "huge unknown field");
                break;
            case 7:
                var nested = new JsonObject();
                var node = nested;
                for (var d = 0; d < 30 + random.Next(10); d++)
                {
                    var child = new JsonObject();
                    node["n"] = child;
                    node = child;
                }

                valid["records"]![0]!["meta"] = nested;
                (body, description) = (valid.ToJsonString(), "deep unknown field");
                break;
            case 8:
                (body, description) = (Pick(random, "", "null", "[]", "{}", "\"x\"", "42", "{\"records\":{}}", "{\"records\":[1,\"a\",null]}"), "odd document");
                break;
            case 9:
                valid["user_name"] = Pick(random, "a\u0001b", new string('u', 129), "", "\t", "ok\u007f");
                (body, description) = (valid.ToJsonString(), "odd user_name");
                break;
            case 10:
                contentType = Pick(random, "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data");
                (body, description) = (valid.ToJsonString(), $"content type {contentType}");
                break;
            case 11:
                encoding = Pick(random, "gzip", "deflate", "br");
                var compressed = Compress(encoding, Encoding.UTF8.GetBytes(valid.ToJsonString()));
                var bomb = Compress(encoding, Encoding.UTF8.GetBytes(valid.ToJsonString().Replace(
                    "\"records\"", $"\"padding\":\"{new string(' ', 1024 * 1024)}\",\"records\"", StringComparison.Ordinal)));
                (encoded, description) = random.Next(5) switch
                {
                    0 => (RandomNumberGenerator.GetBytes(1 + random.Next(300)), $"{encoding}: not compressed data"),
                    1 => (compressed[..random.Next(1, compressed.Length - 1)], $"{encoding}: truncated"),
                    2 => (Corrupt(random, compressed), $"{encoding}: corrupted"),
                    3 => (bomb, $"{encoding}: a bomb"),
                    _ => (Encoding.UTF8.GetBytes(valid.ToJsonString()), $"{encoding} claimed, plain JSON sent"),
                };
                body = "";
                break;
            default:
                // A NUL in the path is refused by Kestrel itself; the in-memory test host cannot even send it.
                var id = Uri.EscapeDataString(Pick(random, HostileIds).Replace("\u0000", "", StringComparison.Ordinal));
                return (new HttpRequestMessage(HttpMethod.Get, $"/api/v1/sync-sessions/{(id.Length == 0 ? "%20" : id)}"), $"GET hostile id #{i}");
        }

        var request = new HttpRequestMessage(HttpMethod.Post, random.Next(2) == 0 ? "/batch-sync.php" : "/api/v1/batch-sync")
        {
            Content = new ByteArrayContent(encoded ?? Encoding.UTF8.GetBytes(body)),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        if (encoding is not null)
        {
            request.Content.Headers.ContentEncoding.Add(encoding);
        }

        return (request, description);
    }

    private static byte[] Compress(string encoding, byte[] body)
    {
        using var output = new MemoryStream();
        using (Stream compressor = encoding switch
        {
            "gzip" => new GZipStream(output, CompressionLevel.Fastest),
            "deflate" => new DeflateStream(output, CompressionLevel.Fastest),
            _ => new BrotliStream(output, CompressionLevel.Fastest),
        })
        {
            compressor.Write(body);
        }

        return output.ToArray();
    }

    /// <summary>A few bytes past the header flipped: the decoder meets data that is not what it claims.</summary>
    private static byte[] Corrupt(Random random, byte[] compressed)
    {
        var copy = compressed.ToArray();
        for (var i = 0; i < 1 + random.Next(8); i++)
        {
            copy[random.Next(Math.Min(copy.Length, 2), copy.Length)] ^= (byte)(1 + random.Next(255));
        }

        return copy;
    }

    private static T Pick<T>(Random random, params T[] choices) => choices[random.Next(choices.Length)];
}
