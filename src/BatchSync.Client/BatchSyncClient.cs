using System.Collections.Concurrent;

namespace BatchSync.Client;

/// <summary>
/// Uploads an <see cref="OfflineStore"/>'s pending records to a BatchSync server, through the wire
/// contract only. A run plans what is pending (written to the store first), asks the server which
/// parts of each planned sync it already holds, sends only the missing ones (a few at a time), and
/// marks records synced only when the server answers <c>sync_complete</c>. Transient failures are
/// retried with exponential backoff and jitter, honouring <c>Retry-After</c>; a refusal (400, 409…)
/// is reported, not retried. One run at a time per store file. Requests go through a <see cref="BatchSyncApi"/>.
/// </summary>
public sealed class BatchSyncClient : IDisposable
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Runs = new(StringComparer.Ordinal);

    private readonly OfflineStore _store;
    private readonly BatchSyncClientOptions _options;
    private readonly TimeProvider _time;
    private readonly BatchSyncApi _api;

    /// <param name="store">The store whose records this client uploads.</param>
    /// <param name="options">Server, token, device and limits.</param>
    /// <param name="transport">The handler that sends requests (default: sockets); retries sit above it.</param>
    /// <param name="time">The clock (default: the system's).</param>
    public BatchSyncClient(OfflineStore store, BatchSyncClientOptions options, HttpMessageHandler? transport = null, TimeProvider? time = null)
    {
        _store = store;
        _options = options;
        _time = time ?? TimeProvider.System;
        _api = new BatchSyncApi(
            new BatchSyncApiOptions
            {
                ServerUrl = options.ServerUrl,
                Token = options.Token,
                MaxRetries = options.MaxRetries,
                RetryDelay = options.RetryDelay,
                RequestTimeout = options.RequestTimeout,
            },
            transport);
    }

    /// <summary>Raised when a run has delivered everything that was pending.</summary>
    public event EventHandler<SyncCompletedEventArgs>? SyncCompleted;

    /// <summary>Raised when a run stops short; the records it did not deliver stay pending.</summary>
    public event EventHandler<SyncFailedEventArgs>? SyncFailed;

    /// <summary>Delivers every pending record. Throws <see cref="BatchSyncException"/> when the server refuses.</summary>
    public async Task<SyncResult> SyncAsync(IProgress<SyncProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var run = Runs.GetOrAdd(_store.Path, _ => new SemaphoreSlim(1, 1));
        await run.WaitAsync(cancellationToken);
        try
        {
            var result = await RunAsync(progress, cancellationToken);
            SyncCompleted?.Invoke(this, new SyncCompletedEventArgs(result));
            return result;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            SyncFailed?.Invoke(this, new SyncFailedEventArgs(e));
            throw;
        }
        finally
        {
            run.Release();
        }
    }

    /// <summary>Deletes synced records past the retention, and past the emergency threshold oldest first; never an unsynced one.</summary>
    public int Cleanup() => _store.Cleanup(_time.GetUtcNow(), _options.SyncedRetention, _options.EmergencyCleanupThreshold);

    /// <summary>
    /// What the server holds of one of this device's syncs: its state, the parts received and missing.
    /// Throws <see cref="BatchSyncException"/> when the server refuses (404 for a sync it does not know).
    /// </summary>
    public Task<SyncSession> GetSyncSessionAsync(string syncId, CancellationToken cancellationToken = default) =>
        _api.GetSyncSessionAsync(syncId, cancellationToken);

    public void Dispose() => _api.Dispose();

    private async Task<SyncResult> RunAsync(IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        _store.PlanSyncs(_options.DeviceId, _options.MaxBatchSize, _options.MaxBatchParts, _time.GetUtcNow());
        var syncs = _store.OpenSyncs();
        var partsTotal = syncs.Sum(s => s.TotalParts);
        var recordsTotal = (int)_store.PendingCount;
        int partsDone = 0, recordsDone = 0, recordsNew = 0, recordsKnown = 0;
        var completed = new List<string>();
        foreach (var (syncId, totalParts) in syncs)
        {
            var (held, missing) = await StatusAsync(syncId, totalParts, cancellationToken);
            Interlocked.Add(ref partsDone, totalParts - missing.Count);
            var done = held;
            await Parallel.ForEachAsync(
                missing,
                new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelUploads, CancellationToken = cancellationToken },
                async (part, token) =>
                {
                    var records = _store.PartRecords(syncId, part);
                    if (await UploadAsync(syncId, part, totalParts, records, token) is { } completion)
                    {
                        done = true;
                        Interlocked.Add(ref recordsNew, completion.New);
                        Interlocked.Add(ref recordsKnown, completion.AlreadyStored);
                    }

                    progress?.Report(new SyncProgress(
                        Interlocked.Increment(ref partsDone), partsTotal, Interlocked.Add(ref recordsDone, records.Count), recordsTotal));
                });

            // Every part is held, but the answer that said so may have been lost: the server knows.
            if (!done && (await StatusAsync(syncId, totalParts, cancellationToken)).Completed)
            {
                done = true;
            }

            if (!done)
            {
                throw new BatchSyncException(0, $"Sync {syncId} did not complete", null, retryable: true);
            }

            _store.MarkSynced(syncId, _time.GetUtcNow());
            completed.Add(syncId);
        }

        return new SyncResult(completed, recordsDone, recordsNew, recordsKnown);
    }

    /// <summary>What the server holds of a sync: completed, or which parts are missing (all of them when it knows none).</summary>
    private async Task<(bool Completed, List<int> Missing)> StatusAsync(string syncId, int totalParts, CancellationToken cancellationToken)
    {
        SyncSession session;
        try
        {
            session = await _api.GetSyncSessionAsync(syncId, cancellationToken);
        }
        catch (BatchSyncException e) when (e.Status == 404)
        {
            return (false, [.. Enumerable.Range(1, totalParts)]);
        }

        return session.SyncStatus switch
        {
            "completed" => (true, []),
            "aborted" => throw new BatchSyncException(409, $"Sync {syncId} was aborted by the server's administrator", null, retryable: false),
            _ => (false, [.. session.MissingParts]),
        };
    }

    /// <summary>
    /// Sends one part (its checksum with it). When the server answered that the sync is complete: how
    /// many of its records were new, how many already stored; otherwise null.
    /// </summary>
    private async Task<(int New, int AlreadyStored)?> UploadAsync(string syncId, int part, int totalParts, IReadOnlyList<string> records, CancellationToken cancellationToken)
    {
        var answer = await _api.UploadPartAsync(
            new PartUpload(syncId, _options.DeviceId, _options.UserName, part, totalParts, records), _options.CompressRequests, cancellationToken);
        return answer.SyncComplete == true ? (answer.NewRecords ?? 0, answer.AlreadyStored ?? 0) : null;
    }
}
