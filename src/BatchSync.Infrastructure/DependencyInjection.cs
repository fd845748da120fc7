using BatchSync.Application.Abstractions;
using BatchSync.Application.Common;
using BatchSync.Infrastructure.Auth;
using BatchSync.Infrastructure.Persistence;
using BatchSync.Infrastructure.Persistence.PostgreSql;
using BatchSync.Infrastructure.Persistence.Writing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace BatchSync.Infrastructure;

public static class DependencyInjection
{
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        CrashPoints.Arm(configuration["BatchSync:Testing:CrashAt"]);
        services.AddOptions<BatchSyncOptions>().Bind(configuration.GetSection(BatchSyncOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BatchSyncOptions>, BatchSyncOptionsValidator>();
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddSingleton<ITokenAuthenticator, TokenAuthenticator>();

        services.AddSingleton<IStagedPartCodec, StagedRecordCodec>();
        services.AddSingleton<IStorageGauge, StorageGauge>();
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.SectionName))
            .PostConfigure(o => o.ConnectionString ??= configuration.GetConnectionString("BatchSync"))
            .Validate(
                o => o.Provider != StorageProvider.PostgreSQL || !string.IsNullOrWhiteSpace(o.ConnectionString),
                "BatchSync:Storage:Provider is PostgreSQL but ConnectionStrings:BatchSync is not set")
            .ValidateOnStart();

        var provider = configuration.GetValue(StorageOptions.SectionName + ":Provider", StorageProvider.Sqlite);
        if (provider == StorageProvider.PostgreSQL)
        {
            services.AddPostgreSql();
        }
        else
        {
            services.AddSqlite();
        }

        services.AddScoped<IBatchSyncDbContext>(sp => sp.GetRequiredService<BatchSyncDbContext>());

        // After the store: stopped before it, so what is queued is written first.
        services.AddSingleton<AuditWriter>();
        services.AddSingleton<IAuditLog>(sp => sp.GetRequiredService<AuditWriter>());
        services.AddHostedService(sp => sp.GetRequiredService<AuditWriter>());
        services.AddHostedService<MaintenanceService>();

        services.AddHealthChecks()
            .AddDbContextCheck<BatchSyncDbContext>("database", tags: ["ready"])
            .AddCheck<DataFolderHealthCheck>("data-folder", tags: ["ready"])
            .AddCheck<FreeSpaceHealthCheck>("free-space", tags: ["ready"]);
        return services;
    }

    /// <summary>One process, SQLite in the data folder, one writer with group commit.</summary>
    private static void AddSqlite(this IServiceCollection services)
    {
        services.AddSingleton<SqliteDatabase>();
        services.AddDbContext<BatchSyncDbContext>((sp, options) =>
            options.UseSqlite(sp.GetRequiredService<SqliteDatabase>().ConnectionString));

        // Order matters: the database is ready before the writer starts.
        services.AddHostedService<DatabaseInitializer>();
        services.AddSingleton<CommittedLogFiles>();
        services.AddSingleton<IDatedLogFiles>(sp => sp.GetRequiredService<CommittedLogFiles>());
        services.AddSingleton<SyncWriteQueue>();
        services.AddSingleton<ISyncUnitOfWork>(sp => sp.GetRequiredService<SyncWriteQueue>());
        services.AddHostedService(sp => sp.GetRequiredService<SyncWriteQueue>());
        services.AddHostedService<WalCheckpointer>();
        services.AddSingleton<IAuditStore, SqliteAuditStore>();
        services.AddSingleton<ISessionRetention, SqliteSessionRetention>();
        services.AddSingleton<ITokenUsage, SqliteTokenUsage>();
        services.AddSingleton<ILogPartitions, NoLogPartitions>();
        services.AddSingleton<IJobLease, LocalJobLease>();
    }

    /// <summary>Any number of instances on one PostgreSQL database, sharing the data folder.</summary>
    private static void AddPostgreSql(this IServiceCollection services)
    {
        services.AddSingleton<PostgresDatabase>();
        services.AddDbContext<BatchSyncDbContext, PostgresBatchSyncDbContext>((sp, options) =>
            options.UseNpgsql(sp.GetRequiredService<PostgresDatabase>().DataSource));
        services.AddSingleton<PostgresLogPartitions>();
        services.AddSingleton<ILogPartitions>(sp => sp.GetRequiredService<PostgresLogPartitions>());
        services.AddSingleton<PostgresInitializer>();
        services.AddHostedService(sp => sp.GetRequiredService<PostgresInitializer>());
        services.AddSingleton<PostgresLogRows>();
        services.AddSingleton<ISyncUnitOfWork, PostgresUnitOfWork>();
        services.AddSingleton<PostgresDatedLogFiles>();
        services.AddSingleton<IDatedLogFiles>(sp => sp.GetRequiredService<PostgresDatedLogFiles>());
        services.AddHostedService<PostgresLogFileCatchUp>();
        services.AddSingleton<IAuditStore, PostgresAuditStore>();
        services.AddSingleton<ISessionRetention, PostgresSessionRetention>();
        services.AddSingleton<ITokenUsage, PostgresTokenUsage>();
        services.AddSingleton<IJobLease, PostgresJobLease>();
        services.AddSingleton<ISharedRateBuckets, PostgresRateBuckets>();
    }
}

internal sealed class DataFolderHealthCheck(IOptions<BatchSyncOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var probe = Path.Combine(Path.GetFullPath(options.Value.DataDirectory), $".health-{Guid.NewGuid():N}");
        try
        {
            await File.WriteAllBytesAsync(probe, [1], cancellationToken);
            File.Delete(probe);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return HealthCheckResult.Unhealthy("The data folder is not writable.");
        }
    }
}

/// <summary>Not ready while parts would be refused for want of space (below <c>MinFreeDiskMb</c>).</summary>
internal sealed class FreeSpaceHealthCheck(IStorageGauge storage, IOptions<BatchSyncOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var minimum = options.Value.Limits.MinFreeDiskMb * 1024 * 1024;
        var available = storage.AvailableBytes();
        return Task.FromResult(available >= minimum
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"{available / (1024 * 1024)} MB free in the data folder, {options.Value.Limits.MinFreeDiskMb} MB required."));
    }
}

/// <summary>SQLite's log tables are not partitioned: every day is ready.</summary>
internal sealed class NoLogPartitions : ILogPartitions
{
    public ValueTask EnsureAsync(IReadOnlyList<Application.Sync.PreparedRecord> records, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
