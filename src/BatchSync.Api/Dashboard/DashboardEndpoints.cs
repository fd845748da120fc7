using System.Collections.Frozen;
using System.Reflection;
using BatchSync.Api.Observability;
using Microsoft.Extensions.Options;

namespace BatchSync.Api.Dashboard;

/// <summary>
/// The operators' dashboard: static files embedded in the assembly, served under <c>/dashboard/</c>. The
/// page holds no data of its own; it signs in with an admin token and reads the admin API.
/// </summary>
internal static class DashboardEndpoints
{
    private const string Prefix = "dashboard/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".txt"] = "text/plain; charset=utf-8",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, byte[]> Files = LoadFiles();

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/dashboard/config.json", (IOptions<MonitoringOptions> options, HttpContext http) =>
        {
            NoStore(http);
            return Results.Json(new DashboardConfig(options.Value.TileUrl, options.Value.TileAttribution, RefreshSeconds: 5));
        }).ExcludeFromDescription();
        app.MapGet("/dashboard/{**file}", (string? file, IOptions<MonitoringOptions> options, HttpContext http) =>
        {
            if (string.IsNullOrEmpty(file) && !http.Request.Path.Value!.EndsWith('/'))
            {
                return Results.Redirect("/dashboard/"); // the page's relative links need the slash
            }

            var name = string.IsNullOrEmpty(file) ? "index.html" : file;
            if (!Files.TryGetValue(name, out var bytes) || !ContentTypes.TryGetValue(Path.GetExtension(name), out var type))
            {
                return Results.NotFound();
            }

            NoStore(http);
            http.Response.Headers.ContentSecurityPolicy = Policy(options.Value.TileUrl);
            http.Response.Headers.XContentTypeOptions = "nosniff";
            http.Response.Headers["Referrer-Policy"] = "no-referrer";
            return Results.Bytes(bytes, type);
        }).ExcludeFromDescription();
        return app;
    }

    /// <summary>Only the server's own scripts; images also from the tile server when one is configured.</summary>
    private static string Policy(string? tileUrl)
    {
        var tiles = tileUrl is null ? "" : " " + new Uri(tileUrl.Replace("{", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal)).GetLeftPart(UriPartial.Authority);
        return $"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:{tiles}; connect-src 'self'; " +
               "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    }

    private static void NoStore(HttpContext http) => http.Response.Headers.CacheControl = "no-cache";

    private static FrozenDictionary<string, byte[]> LoadFiles()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[resource[Prefix.Length..].Replace('\\', '/')] = copy.ToArray();
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }
}

/// <summary>What the page needs to know of the server's settings; nothing secret.</summary>
internal sealed record DashboardConfig(string? TileUrl, string? TileAttribution, int RefreshSeconds);
