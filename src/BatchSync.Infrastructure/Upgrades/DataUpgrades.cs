using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace BatchSync.Infrastructure.Upgrades;

/// <summary>One-time passes over stored rows, run at start after the migrations and before the owed files are rewritten.</summary>
internal static class DataUpgrades
{
    public static void Run(DbConnection connection, ILogger logger)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        if (RecordIdentityUpgrade.Run(connection) is var (rehashed, duplicates))
        {
            logger.LogInformation(
                "Record identities recomputed by value: {Rehashed} rows rehashed, {Duplicates} duplicate rows removed, in {ElapsedMs:F0} ms",
                rehashed, duplicates, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }
}
