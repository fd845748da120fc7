namespace BatchSync.Api.Observability;

internal static class LoggingSetup
{
    /// <summary>A line carries the trace and span ids when there is a trace; the parent id adds nothing to a log.</summary>
    public static IServiceCollection AddLogCorrelation(this IServiceCollection services) =>
        services.Configure<LoggerFactoryOptions>(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
}
