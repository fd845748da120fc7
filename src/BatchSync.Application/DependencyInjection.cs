using BatchSync.Application.Diagnostics;
using BatchSync.Application.Sync;
using BatchSync.Application.Sync.UploadBatchPart;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;

namespace BatchSync.Application;

public static class DependencyInjection
{
    /// <summary>Validators and application services. The mediator itself is generated and wired in the Api.</summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        services.AddValidatorsFromAssembly(
            typeof(DependencyInjection).Assembly,
            ServiceLifetime.Singleton,
            includeInternalTypes: true);
        services.AddSingleton<LogCalendar>();
        services.AddSingleton<BatchSyncMetrics>();
        services.AddSingleton(TimeProvider.System);
        return services;
    }
}
