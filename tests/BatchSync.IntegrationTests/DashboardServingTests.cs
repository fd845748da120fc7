using System.Net;
using System.Text.Json;
using BatchSync.IntegrationTests.Infrastructure;

namespace BatchSync.IntegrationTests;

/// <summary>How the dashboard's files are served: from the assembly, with a policy that lets only the server's own scripts run.</summary>
public sealed class DashboardServingTests : IDisposable
{
    private readonly BatchSyncApp _app = new(new Dictionary<string, string?>
    {
        ["BatchSync:Monitoring:TileUrl"] = "https://tiles.example.org/{z}/{x}/{y}.png",
        ["BatchSync:Monitoring:TileAttribution"] = "© example",
    });

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Dashboard_ServesPageScriptsAndSettings_WithoutAToken()
    {
        var client = _app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var bare = await client.GetAsync("/dashboard");
        var page = await client.GetAsync("/dashboard/");
        var script = await client.GetAsync("/dashboard/dashboard.js");
        var config = JsonDocument.Parse(await client.GetStringAsync("/dashboard/config.json")).RootElement;

        Assert.Equal(HttpStatusCode.Redirect, bare.StatusCode);
        Assert.Equal("/dashboard/", bare.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("type=\"password\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var policy = string.Join(' ', page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("img-src 'self' data: blob: https://tiles.example.org", policy, StringComparison.Ordinal);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Equal("https://tiles.example.org/{z}/{x}/{y}.png", config.GetProperty("tile_url").GetString());
        Assert.Equal("© example", config.GetProperty("tile_attribution").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/dashboard/../appsettings.json")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/dashboard/nothing.js")).StatusCode);
    }
}
