using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using BatchSync.Testing;

namespace BatchSync.IntegrationTests.Infrastructure;

/// <summary>
/// The built server as a child process with a device and an admin token: a process of its own, so its
/// metrics count only what the test did, and a real port a browser can open.
/// </summary>
internal sealed class MonitoredServer : IDisposable
{
    public const string DeviceToken = "monitor-device-token";
    public const string AdminToken = "monitor-admin-token";
    private static readonly string ServerDll = Path.Combine(AppContext.BaseDirectory, "BatchSync.Api.dll");

    private readonly TempFolder _data = new("monitor");
    private readonly ServerProcess _server;

    private MonitoredServer(IReadOnlyDictionary<string, string>? settings, bool withTokens)
    {
        var all = new Dictionary<string, string>
        {
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        };
        if (withTokens)
        {
            all["BatchSync:Auth:Tokens:1:Name"] = "monitor-admin";
            all["BatchSync:Auth:Tokens:1:Role"] = "admin";
            all["BatchSync:Auth:Tokens:1:Devices:0"] = "*";
            all["BatchSync:Auth:Tokens:1:Sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(AdminToken)));
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        Directory.CreateDirectory(_data);
        _server = ServerProcess.Start(
            ServerDll,
            _data,
            withTokens ? new Dictionary<string, string> { ["monitor-device"] = DeviceToken } : new Dictionary<string, string>(),
            all,
            Lines.Enqueue);
    }

    public Uri BaseUrl => _server.BaseUrl;

    /// <summary>Every console line the server wrote.</summary>
    public ConcurrentQueue<string> Lines { get; } = new();

    public static async Task<MonitoredServer> StartAsync(IReadOnlyDictionary<string, string>? settings = null, bool withTokens = true)
    {
        var server = new MonitoredServer(settings, withTokens);
        using var probe = new HttpClient();
        await server._server.WaitReadyAsync(probe);
        return server;
    }

    public HttpClient ClientWith(string? token)
    {
        var client = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public void Dispose()
    {
        _server.Dispose();
        _data.Dispose();
    }
}
