using BatchSync.Api.ErrorHandling;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BatchSync.Api.Endpoints;

internal static class HealthEndpoints
{
    /// <summary>Liveness answers while the process runs; readiness checks the database and the data folder.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .WithTags("Health");
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteAsync })
            .WithTags("Health");
        return app;
    }

    /// <summary>A browser that opens the server's address lands on Swagger UI, not on a JSON 404.</summary>
    public static IEndpointRouteBuilder MapRoot(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Results.Redirect("/swagger")).ExcludeFromDescription();
        return app;
    }

    private static Task WriteAsync(HttpContext http, HealthReport report) =>
        http.Response.WriteAsJsonAsync(
            new HealthResponseBody(
                report.Status.ToString().ToLowerInvariant(),
                report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString().ToLowerInvariant())),
            WireJsonContext.Default.HealthResponseBody);
}
