using BatchSync.Api.OpenApi;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BatchSync.Api.Endpoints;

internal static class HealthEndpoints
{
    /// <summary>Liveness answers while the process runs; readiness checks the database and the data folder.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/live", (HealthCheckService health, CancellationToken cancellationToken) => CheckAsync(health, _ => false, cancellationToken))
            .WithTags("Health")
            .WithName("HealthLive")
            .WithSummary("Liveness: the process runs")
            .WithDescription("No token needed. Always `200 {\"status\":\"healthy\"}` while the process answers; for a liveness probe.")
            .Produces<HealthResponseBody>(StatusCodes.Status200OK)
            .WithMetadata(Examples.HealthLive);
        app.MapGet("/health/ready", (HealthCheckService health, CancellationToken cancellationToken) => CheckAsync(health, c => c.Tags.Contains("ready"), cancellationToken))
            .WithTags("Health")
            .WithName("HealthReady")
            .WithSummary("Readiness: the database answers, the data folder is writable and has room")
            .WithDescription(
                "No token needed. `200` when every check is healthy; `503` when one is not: `database` (SQLite answers), " +
                "`data-folder` (writable), `free-space` (at least `MinFreeDiskMb` free). For a readiness probe or a load balancer.")
            .Produces<HealthResponseBody>(StatusCodes.Status200OK)
            .Produces<HealthResponseBody>(StatusCodes.Status503ServiceUnavailable)
            .WithMetadata(Examples.HealthReady);
        return app;
    }

    /// <summary>A browser that opens the server's address lands on Swagger UI, not on a JSON 404.</summary>
    public static IEndpointRouteBuilder MapRoot(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Results.Redirect("/swagger")).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> CheckAsync(HealthCheckService health, Func<HealthCheckRegistration, bool> predicate, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(predicate, cancellationToken);
        return Results.Json(
            new HealthResponseBody(
                report.Status.ToString().ToLowerInvariant(),
                report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString().ToLowerInvariant())),
            WireJsonContext.Default.HealthResponseBody,
            statusCode: report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }
}
