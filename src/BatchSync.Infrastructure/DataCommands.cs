using BatchSync.Application.Sync;
using BatchSync.Infrastructure.LogFiles;
using BatchSync.Infrastructure.Persistence;
using BatchSync.Infrastructure.Persistence.PostgreSql;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BatchSync.Infrastructure;

/// <summary>Operator commands on the data folder, run instead of the server (<c>-- rebuild-logs</c>).</summary>
public static class DataCommands
{
    /// <summary>
    /// For commands that work beside a running server (tokens): the database exists and is migrated.
    /// </summary>
    public static async Task PrepareDatabaseAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (services.GetService<PostgresInitializer>() is { } postgres)
        {
            await postgres.StartAsync(cancellationToken);
            return;
        }

        services.GetRequiredService<SqliteDatabase>().CreateIfMissing();
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<BatchSyncDbContext>().Database.MigrateAsync(cancellationToken);
    }

    /// <summary>
    /// Takes the data folder for this process before the server starts (SQLite only: PostgreSQL's instances
    /// share theirs); false (and one line on <paramref name="output"/>) when another process holds it.
    /// </summary>
    public static bool TryTakeDataFolder(IServiceProvider services, TextWriter output)
    {
        if (services.GetService<SqliteDatabase>() is not { } database)
        {
            return true;
        }

        try
        {
            database.Lock();
            return true;
        }
        catch (InvalidOperationException e)
        {
            output.WriteLine(e.Message);
            return false;
        }
    }

    /// <summary>
    /// Rewrites every dated log file from the database, the source of truth. On SQLite it refuses while a
    /// server uses the data folder; on PostgreSQL it takes each file's lock as the servers do, so they may
    /// run meanwhile. Returns the process exit code.
    /// </summary>
    public static async Task<int> RebuildLogsAsync(IServiceProvider services, TextWriter output, CancellationToken cancellationToken)
    {
        if (services.GetService<PostgresInitializer>() is { } postgres)
        {
            await postgres.StartAsync(cancellationToken);
            var pgFiles = services.GetRequiredService<PostgresDatedLogFiles>();
            var (written, strays) = await pgFiles.RebuildAllAsync(cancellationToken);
            var root = Path.Combine(services.GetRequiredService<PostgresDatabase>().DataDirectory, "logs");
            await output.WriteLineAsync(
                $"Rebuilt {written} dated log files in {root} from the database" +
                (strays > 0 ? $"; removed {strays} files no record backs." : "."));
            return 0;
        }

        var database = services.GetRequiredService<SqliteDatabase>();
        if (!File.Exists(Path.Combine(database.DataDirectory, "batchsync.db")))
        {
            await output.WriteLineAsync($"No database in {database.DataDirectory}: nothing to rebuild.");
            return 1;
        }

        try
        {
            database.Lock();
        }
        catch (InvalidOperationException e)
        {
            await output.WriteLineAsync(e.Message);
            return 2;
        }

        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<BatchSyncDbContext>().Database.MigrateAsync(cancellationToken);
        }

        await using var connection = database.OpenWriteConnection();
        Upgrades.DataUpgrades.Run(connection, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var (files, removed) = LogFileCatchUp.RebuildAll(connection, database, services.GetRequiredService<LogCalendar>());
        await output.WriteLineAsync(
            $"Rebuilt {files} dated log files in {Path.Combine(database.DataDirectory, "logs")} from the database" +
            (removed > 0 ? $"; removed {removed} files no record backs." : "."));
        return 0;
    }
}
