using BatchSync.Application.Abstractions;
using BatchSync.Application.Common;
using BatchSync.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BatchSync.Api.Observability;

/// <summary>One line at start saying where the data is, on what, how many tokens can get in, and how the collector runs.</summary>
internal sealed class StartupReport(
    IServiceScopeFactory scopes,
    ITokenAuthenticator tokens,
    IOptions<BatchSyncOptions> options,
    IHostEnvironment environment,
    ILogger<StartupReport> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BatchSyncDbContext>();
        var issued = await db.ApiTokens.AsNoTracking().CountAsync(t => t.RevokedAt == null, cancellationToken);
        var provider = db.Database.ProviderName?.Split('.')[^1] ?? "unknown";
        logger.LogInformation(
            "BatchSync {Environment}: data folder {DataFolder}, storage {StorageProvider}, {ConfiguredTokens} configured and {IssuedTokens} issued tokens, young generation up to {YoungGenerationMb} MB",
            environment.EnvironmentName,
            Path.GetFullPath(options.Value.DataDirectory),
            provider,
            tokens.Configured.Count,
            issued,
            YoungGenerationBudget() / (1024 * 1024));
        if (environment.IsProduction() && tokens.Configured.Count == 0 && issued == 0)
        {
            logger.LogWarning("No token is configured or issued: every request will be refused with 401. Create one with `tokens create`");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // What the runtime took from BatchSync.Api.runtimeconfig.json: a setting it does not know is ignored silently.
    private static long YoungGenerationBudget() =>
        GC.GetConfigurationVariables().TryGetValue("GCGen0MaxBudget", out var budget) ? Convert.ToInt64(budget, System.Globalization.CultureInfo.InvariantCulture) : 0;
}
