using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace BatchSync.IntegrationTests.Infrastructure;

/// <summary>A map tile server on loopback that answers every tile with the same small PNG and notes which were asked for.</summary>
internal sealed class TileServer : IAsyncDisposable
{
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    private readonly WebApplication _app;

    private TileServer(WebApplication app, ConcurrentQueue<string> requested)
    {
        _app = app;
        Requested = requested;
    }

    public string Url => _app.Urls.First();

    /// <summary>Tiles asked for, as <c>z/x/y</c>.</summary>
    public ConcurrentQueue<string> Requested { get; }

    public static async Task<TileServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var requested = new ConcurrentQueue<string>();
        app.MapGet("/{z:int}/{x:int}/{y:int}.png", (int z, int x, int y) =>
        {
            requested.Enqueue($"{z}/{x}/{y}");
            return Results.Bytes(Png, "image/png");
        });
        await app.StartAsync();
        return new TileServer(app, requested);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
