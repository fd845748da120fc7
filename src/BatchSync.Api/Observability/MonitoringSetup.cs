using BatchSync.Api.Auth;
using BatchSync.Api.Dashboard;
using BatchSync.Application.Diagnostics;
using BatchSync.Infrastructure.Diagnostics;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace BatchSync.Api.Observability;

/// <summary>
/// Metrics (ours, ASP.NET Core's, the runtime's) scraped at <c>/metrics</c>; traces and everything else
/// over OTLP once <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; the dashboard at <c>/dashboard</c>.
/// </summary>
public static class MonitoringSetup
{
    public static IServiceCollection AddMonitoring(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MonitoringOptions>().Bind(configuration.GetSection(MonitoringOptions.SectionName))
            .Validate(o => o.TileUrl is null || (o.TileUrl.Contains("{z}", StringComparison.Ordinal) && o.TileUrl.Contains("{x}", StringComparison.Ordinal)
                && o.TileUrl.Contains("{y}", StringComparison.Ordinal) && Uri.TryCreate(o.TileUrl.Replace("{", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal), UriKind.Absolute, out _)),
                "BatchSync:Monitoring:TileUrl must be an absolute URL with {z}, {x} and {y}")
            .ValidateOnStart();
        services.AddLogCorrelation();
        services.AddStoreGauges();
        services.AddHostedService<StartupReport>();

        var otel = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("batchsync"))
            .WithMetrics(metrics => metrics
                .AddMeter(BatchSyncMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());
        if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            // Spans cost something only once someone collects them.
            otel.WithTracing(tracing => tracing
                    .AddSource(BatchSyncTracing.SourceName)
                    .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/metrics") && !http.Request.Path.StartsWithSegments("/health")))
                .UseOtlpExporter();
        }

        return services;
    }

    public static WebApplication MapMonitoring(this WebApplication app)
    {
        var scrape = app.MapPrometheusScrapingEndpoint("/metrics");
        if (app.Services.GetRequiredService<IOptions<MonitoringOptions>>().Value.MetricsRequireAdminToken)
        {
            scrape.RequireAuthorization(Policies.Admin);
        }

        app.MapDashboard();
        return app;
    }
}
