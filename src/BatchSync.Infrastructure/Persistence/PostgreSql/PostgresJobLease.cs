using Npgsql;

namespace BatchSync.Infrastructure.Persistence.PostgreSql;

/// <summary>
/// Background work once per interval across the cluster: the instance that takes the job's advisory
/// lock and finds its last run older than the interval runs it; the others skip this round. The lock
/// lasts as long as the run, so two runs never overlap.
/// </summary>
internal sealed class PostgresJobLease(PostgresDatabase database, TimeProvider time) : IJobLease
{
    public async Task<IAsyncDisposable?> TryAcquireAsync(string job, TimeSpan interval, CancellationToken cancellationToken)
    {
        var connection = await database.LockSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using (var take = new NpgsqlCommand("SELECT pg_try_advisory_lock($1, hashtext($2))", connection))
            {
                take.Parameters.Add(new NpgsqlParameter<int> { TypedValue = AdvisoryLocks.Job });
                take.Parameters.Add(new NpgsqlParameter<string> { TypedValue = job });
                if (!(bool)(await take.ExecuteScalarAsync(cancellationToken))!)
                {
                    await connection.DisposeAsync();
                    return null;
                }
            }

            await using var due = new NpgsqlCommand(
                "INSERT INTO cluster_jobs (job, last_run_at) VALUES ($1, $3) ON CONFLICT (job) DO UPDATE SET last_run_at = $3 " +
                "WHERE cluster_jobs.last_run_at < $3 - $2 RETURNING job", connection);
            due.Parameters.Add(new NpgsqlParameter<string> { TypedValue = job });
            // A little under the interval, so the instances' timers drifting apart do not skip a round.
            due.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = interval * 0.9 });
            due.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = time.GetUtcNow().UtcDateTime });
            var lease = new Lease(connection, job);
            if (await due.ExecuteScalarAsync(cancellationToken) is null)
            {
                await lease.DisposeAsync();
                return null;
            }

            return lease;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private sealed class Lease(NpgsqlConnection connection, string job) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock($1, hashtext($2))", connection);
                release.Parameters.Add(new NpgsqlParameter<int> { TypedValue = AdvisoryLocks.Job });
                release.Parameters.Add(new NpgsqlParameter<string> { TypedValue = job });
                await release.ExecuteNonQueryAsync(CancellationToken.None);
            }
            catch (NpgsqlException)
            {
                // Its return to the pool resets the session (DISCARD ALL), which releases the lock.
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }
}
