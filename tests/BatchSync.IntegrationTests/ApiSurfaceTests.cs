using System.Net;
using System.Text.Json;
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
}
