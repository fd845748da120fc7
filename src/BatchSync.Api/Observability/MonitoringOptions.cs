namespace BatchSync.Api.Observability;

/// <summary>The <c>BatchSync:Monitoring</c> section: the scrape endpoint and the dashboard.</summary>
public sealed class MonitoringOptions
{
    public const string SectionName = "BatchSync:Monitoring";

    /// <summary>
    /// <c>/metrics</c> asks for an admin token. Off by default: scrapers expect an open endpoint, and the
    /// figures name no device, user or token.
    /// </summary>
    public bool MetricsRequireAdminToken { get; set; }

    /// <summary>
    /// A map tile URL for the dashboard's tracks, <c>https://tile.example.org/{z}/{x}/{y}.png</c>; none by
    /// default, since servers often run without internet: a track is then drawn on a plain grid.
    /// </summary>
    public string? TileUrl { get; set; }

    /// <summary>Shown under a map drawn on tiles (most tile servers ask for it).</summary>
    public string? TileAttribution { get; set; }
}
