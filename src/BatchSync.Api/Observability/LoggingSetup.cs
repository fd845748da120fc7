using Microsoft.Extensions.Logging.Console;

namespace BatchSync.Api.Observability;

internal static class LoggingSetup
{
    public static IServiceCollection AddLogCorrelation(this IServiceCollection services)
    {
        // A line carries the trace and span ids when there is a trace; the parent id adds nothing to a log.
        services.Configure<LoggerFactoryOptions>(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);

        // Both formatters read Logging:Console:FormatterOptions; the space that ends a plain line's timestamp has no place in JSON.
        services.PostConfigure<JsonConsoleFormatterOptions>(o => o.TimestampFormat = o.TimestampFormat?.TrimEnd());
        return services;
    }
}
