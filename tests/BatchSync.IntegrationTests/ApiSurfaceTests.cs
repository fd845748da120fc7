using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using BatchSync.IntegrationTests.Infrastructure;

namespace BatchSync.IntegrationTests;

public class ApiSurfaceTests(BatchSyncApp app) : IClassFixture<BatchSyncApp>
{
    [Fact]
    public async Task Swagger_DocumentsEveryEndpointWithExamplesAndBearerAuth()
    {
        var client = app.ClientWith(null);

        var ui = await client.GetAsync("/swagger/index.html");
        var doc = JsonDocument.Parse(await client.GetStringAsync("/swagger/v1/swagger.json")).RootElement;

        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
        var paths = doc.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/batch-sync.php", out var seed));
        Assert.True(paths.TryGetProperty("/api/v1/batch-sync", out _));
        Assert.True(paths.TryGetProperty("/api/v1/sync-sessions/{sync_id}", out _));
        var post = seed.GetProperty("post");
        Assert.True(post.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").TryGetProperty("example", out _));
        foreach (var status in (string[])["200", "400", "401", "403", "409", "413", "415"])
        {
            Assert.True(post.GetProperty("responses").GetProperty(status).GetProperty("content").GetProperty("application/json").TryGetProperty("example", out _), status);
        }

        Assert.Equal("bearer", doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").GetProperty("scheme").GetString());
        Assert.True(doc.GetProperty("components").GetProperty("schemas").GetProperty("UploadPartResponseBody").GetProperty("properties").TryGetProperty("processing_results", out _));
    }

    [Fact]
    public async Task Swagger_EveryApiCallHasA200ExampleAndEveryAdminCallIsListed()
    {
        var doc = JsonDocument.Parse(await app.ClientWith(null).GetStringAsync("/swagger/v1/swagger.json")).RootElement;
        var missing = new List<string>();
        foreach (var path in doc.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith("/api/", StringComparison.Ordinal)))
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var ok = operation.Value.GetProperty("responses").GetProperty("200");
                if (!ok.TryGetProperty("content", out var content) || !content.GetProperty("application/json").TryGetProperty("example", out _))
                {
                    missing.Add($"{operation.Name} {path.Name}");
                }
            }
        }

        Assert.Empty(missing);
        var admin = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).Where(p => p.StartsWith("/api/v1/admin", StringComparison.Ordinal)).Order();
        Assert.Equal(
            ["/api/v1/admin/audit", "/api/v1/admin/devices", "/api/v1/admin/devices/{device_id}/records", "/api/v1/admin/sessions",
             "/api/v1/admin/sessions/{sync_id}", "/api/v1/admin/sessions/{sync_id}/abort", "/api/v1/admin/stats/daily"],
            admin);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_AnswersWithoutAToken(string path)
    {
        var response = await app.ClientWith(null).GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("healthy", (await response.Json()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task UploadExample_AsSwaggerUiSendsIt_CompletesThenIsADuplicate()
    {
        using var fresh = new BatchSyncApp();
        var doc = JsonDocument.Parse(await fresh.ClientWith(null).GetStringAsync("/swagger/v1/swagger.json")).RootElement;
        var client = fresh.ClientWith(BatchSyncApp.DeviceToken);
        var answers = new List<JsonElement>();
        foreach (var path in (string[])["/api/v1/batch-sync", "/batch-sync.php"])
        {
            var example = doc.GetProperty("paths").GetProperty(path).GetProperty("post").GetProperty("requestBody")
                .GetProperty("content").GetProperty("application/json").GetProperty("example");
            // Swagger UI parses the example and sends JSON.stringify(example, null, 2): 15.0 arrives as 15.
            var resent = AsJavaScriptSendsIt(JsonNode.Parse(example.GetRawText()))!.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
            Assert.DoesNotContain("15.0", resent);
            var response = await client.PostPart(resent, path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            answers.Add(await response.Json());
        }

        Assert.True(answers[0].GetProperty("sync_complete").GetBoolean());
        Assert.False(answers[0].TryGetProperty("duplicate", out _));
        Assert.True(answers[1].GetProperty("duplicate").GetBoolean());
    }

    [Fact]
    public async Task Swagger_UploadFirst_ReadableSchemaNames_EveryOperationDescribed_HealthDocumented()
    {
        var doc = JsonDocument.Parse(await app.ClientWith(null).GetStringAsync("/swagger/v1/swagger.json")).RootElement;

        var tags = doc.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList();
        Assert.Equal(["Upload", "Resume", "Admin", "Health"], tags);
        var firstTags = doc.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject()).Select(o => o.Value.GetProperty("tags")[0].GetString()).Distinct().ToList();
        Assert.Equal(tags, firstTags);

        var schemas = doc.GetProperty("components").GetProperty("schemas").EnumerateObject().Select(s => s.Name).ToList();
        Assert.Contains("AdminDailyCountListResponse", schemas);
        Assert.Contains("AdminSessionSummaryPageResponse", schemas);
        Assert.DoesNotContain(schemas, s => s.Contains("IReadOnlyList", StringComparison.Ordinal) || s.EndsWith("Dto", StringComparison.Ordinal));

        var undescribed = new List<string>();
        foreach (var path in doc.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                if (!operation.Value.TryGetProperty("summary", out _) || !operation.Value.TryGetProperty("description", out _))
                {
                    undescribed.Add($"{operation.Name} {path.Name}");
                }
            }
        }

        Assert.Empty(undescribed);
        var ready = doc.GetProperty("paths").GetProperty("/health/ready").GetProperty("get").GetProperty("responses");
        Assert.True(ready.GetProperty("503").GetProperty("content").GetProperty("application/json").TryGetProperty("example", out _));
        Assert.True(doc.GetProperty("paths").TryGetProperty("/health/live", out _));
        var checksum = doc.GetProperty("components").GetProperty("schemas").GetProperty("UploadPartRequestBody").GetProperty("properties").GetProperty("checksum");
        Assert.Contains("sha256:", checksum.GetProperty("description").GetString());
    }

    /// <summary>What a JavaScript round trip does to numbers: each becomes a double, 15.0 printed as 15.</summary>
    private static JsonNode? AsJavaScriptSendsIt(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, AsJavaScriptSendsIt(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(AsJavaScriptSendsIt)]),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => JsonValue.Create(v.GetValue<double>()),
        _ => node?.DeepClone(),
    };
}
