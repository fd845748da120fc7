using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BatchSync.IntegrationTests.Infrastructure;

/// <summary>Builds syncs the way a phone does: records, cut into numbered parts.</summary>
public static class SyncData
{
    public const long Start = 1694123456789; // 2023-09-07T21:50:56.789Z

    private static int _counter;

    public static string NewId(string prefix) =>
        $"{prefix}_{Interlocked.Increment(ref _counter)}_{Guid.NewGuid().ToString("N")[..8]}";

    public static JsonObject Location(long timestamp, double latitude = 32.0853, double longitude = 34.7818) => new()
    {
        ["type"] = "location",
        ["timestamp"] = timestamp,
        ["latitude"] = latitude,
        ["longitude"] = longitude,
        ["accuracy"] = 15.0,
        ["speed"] = 45.2,
        ["battery_level"] = 85,
        ["provider"] = "gps",
    };

    public static JsonObject Driving(long timestamp, string eventType = "driving_start") => new()
    {
        ["type"] = "driving",
        ["timestamp"] = timestamp,
        ["event_type"] = eventType,
        ["location"] = new JsonObject { ["latitude"] = 32.0863, ["longitude"] = 34.7828, ["accuracy"] = 12.0 },
        ["speed"] = 0,
    };

    /// <summary>A mixed stream of records, one every <paramref name="stepMs"/>, every tenth a driving event.</summary>
    public static List<JsonObject> Records(int count, long start = Start, long stepMs = 1000, double latitude = 32.0)
    {
        var records = new List<JsonObject>(count);
        for (var i = 0; i < count; i++)
        {
            var ts = start + (i * stepMs);
            records.Add(i % 10 == 9 ? Driving(ts, $"event_{i}") : Location(ts, latitude + (i * 1e-5)));
        }

        return records;
    }

    public static List<string> Parts(string syncId, string deviceId, IReadOnlyList<JsonObject> records, int perPart, string user = "john_doe")
    {
        var chunks = records.Chunk(perPart).ToList();
        return chunks.Select((chunk, i) => Part(syncId, deviceId, i + 1, chunks.Count, chunk, user)).ToList();
    }

    public static string Part(string syncId, string deviceId, int number, int total, IEnumerable<JsonObject> records, string user = "john_doe") =>
        new JsonObject
        {
            ["sync_id"] = syncId,
            ["device_id"] = deviceId,
            ["user_name"] = user,
            ["part_number"] = number,
            ["total_parts"] = total,
            ["records"] = new JsonArray([.. records.Select(r => (JsonNode)r.DeepClone())]),
        }.ToJsonString();

    public static Task<HttpResponseMessage> PostPart(this HttpClient client, string body, string path = "/batch-sync.php") =>
        client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

    /// <summary>Like EnsureSuccessStatusCode, but a failure shows the answer's body.</summary>
    public static async Task<HttpResponseMessage> Ok(this Task<HttpResponseMessage> pending)
    {
        var response = await pending;
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response;
    }

    public static async Task<JsonElement> Json(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();

    public static string Date(long timestamp) =>
        DateTimeOffset.FromUnixTimeMilliseconds(timestamp).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
