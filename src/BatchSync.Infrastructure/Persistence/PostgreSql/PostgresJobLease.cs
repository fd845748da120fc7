using Microsoft.Extensions.Logging;
using Npgsql;

namespace BatchSync.Infrastructure.Persistence.PostgreSql;

/// <summary>
/// Background work once per interval across the cluster: the instance that takes the job's advisory
/// lock and finds its last run older than the interval runs it; the others skip this round. The lock
/// lasts as long as the run, so two runs never overlap.
/// </summary>
internal sealed class PostgresJobLease(PostgresDatabase database, TimeProvider time, ILogger<PostgresJobLease> logger) : IJobLease
{
    public async Task<IAsyncDisposable?> TryAcquireAsync(string job, TimeSpan interval, CancellationToken cancellationToken)
    {
        var lease = await PostgresSessionLock.TakeAsync(database, logger, AdvisoryLocks.Job, job, wait: false, cancellationToken);
        if (lease is null)
        {
            return null;
        }

        try
        {
            await using var due = new NpgsqlCommand(
                "INSERT INTO cluster_jobs (job, last_run_at) VALUES ($1, $3) ON CONFLICT (job) DO UPDATE SET last_run_at = $3 " +
                "WHERE cluster_jobs.last_run_at < $3 - $2 RETURNING job", lease.Connection);
            due.Parameters.Add(new NpgsqlParameter<string> { TypedValue = job });
            // A little under the interval, so the instances' timers drifting apart do not skip a round.
            due.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = interval * 0.9 });
            due.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = time.GetUtcNow().UtcDateTime });
            if (await due.ExecuteScalarAsync(cancellationToken) is null)
            {
                await lease.DisposeAsync();
                return null;
            }

            return lease;
        }
        catch
        {
            await lease.DisposeAsync();
            throw;
        }
    }
}
