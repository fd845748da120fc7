using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace BatchSync.Client;

/// <summary>
/// Uploads an <see cref="OfflineStore"/>'s pending records to a BatchSync server, through the wire
/// contract only. A run plans what is pending (written to the store first), asks the server which
/// parts of each planned sync it already holds, sends only the missing ones (a few at a time), and
/// marks records synced only when the server answers <c>sync_complete</c>. Transient failures are
/// retried with exponential backoff and jitter, honouring <c>Retry-After</c>; a refusal (400, 409…)
/// is reported, not retried. One run at a time per store file.
/// </summary>
public sealed class BatchSyncClient : IDisposable
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Runs = new(StringComparer.Ordinal);

    private readonly OfflineStore _store;
    private readonly BatchSyncClientOptions _options;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;

    /// <param name="store">The store whose records this client uploads.</param>
    /// <param name="options">Server, token, device and limits.</param>
    /// <param name="transport">The handler that sends requests (default: sockets); retries sit above it.</param>
    /// <param name="time">The clock (default: the system's).</param>
    public BatchSyncClient(OfflineStore store, BatchSyncClientOptions options, HttpMessageHandler? transport = null, TimeProvider? time = null)
    {
        _store = store;
        _options = options;
        _time = time ?? TimeProvider.System;
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new HttpRetryStrategyOptions
            {
                // The default predicate: network errors, timeouts, 408, 429 and 5xx (503 and 507 among them).
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                ShouldRetryAfterHeader = true,
            })
            .AddTimeout(options.RequestTimeout)
            .Build();
        _http = new HttpClient(new ResilienceHandler(pipeline) { InnerHandler = transport ?? new SocketsHttpHandler() })
        {
            BaseAddress = options.ServerUrl,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
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

    public void Dispose() => _http.Dispose();

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
        using var response = await _http.GetAsync(new Uri($"api/v1/sync-sessions/{Uri.EscapeDataString(syncId)}", UriKind.Relative), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return (false, [.. Enumerable.Range(1, totalParts)]);
        }

        var body = await ReadAsync(response, cancellationToken);
        return body.GetProperty("sync_status").GetString() switch
        {
            "completed" => (true, []),
            "aborted" => throw new BatchSyncException(409, $"Sync {syncId} was aborted by the server's administrator", null, retryable: false),
            _ => (false, [.. body.GetProperty("missing_parts").EnumerateArray().Select(p => p.GetInt32())]),
        };
    }

    /// <summary>
    /// Sends one part (its checksum with it). When the server answered that the sync is complete: how
    /// many of its records were new, how many already stored; otherwise null.
    /// </summary>
    private async Task<(int New, int AlreadyStored)?> UploadAsync(string syncId, int part, int totalParts, IReadOnlyList<string> records, CancellationToken cancellationToken)
    {
        var recordsJson = "[" + string.Join(',', records) + "]";
        var checksum = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(recordsJson)));
        var json =
            $"{{\"sync_id\":{JsonSerializer.Serialize(syncId)},\"device_id\":{JsonSerializer.Serialize(_options.DeviceId)}," +
            $"\"user_name\":{JsonSerializer.Serialize(_options.UserName)},\"part_number\":{part},\"total_parts\":{totalParts}," +
            $"\"checksum\":\"{checksum}\",\"records\":{recordsJson}}}";
        var bytes = Encoding.UTF8.GetBytes(json);
        var content = new ByteArrayContent(_options.CompressRequests ? Gzip(bytes) : bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (_options.CompressRequests)
        {
            content.Headers.ContentEncoding.Add("gzip");
        }

        using var response = await _http.PostAsync(new Uri("api/v1/batch-sync", UriKind.Relative), content, cancellationToken);
        var body = await ReadAsync(response, cancellationToken);
        if (!body.TryGetProperty("sync_complete", out var complete) || !complete.GetBoolean())
        {
            return null;
        }

        return (Count(body, "new_records"), Count(body, "already_stored"));
    }

    private static int Count(JsonElement body, string name) =>
        body.TryGetProperty(name, out var count) && count.ValueKind == JsonValueKind.Number ? count.GetInt32() : 0;

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonElement body;
        try
        {
            body = JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new BatchSyncException((int)response.StatusCode, $"The server answered {(int)response.StatusCode} without JSON", null, (int)response.StatusCode >= 500);
        }

        if (response.IsSuccessStatusCode)
        {
            return body;
        }

        var message = body.TryGetProperty("message", out var m) ? m.GetString() ?? "" : response.ReasonPhrase ?? "";
        var errors = body.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object
            ? e.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(v => v.GetString() ?? "").ToArray())
            : null;
        var retryable = body.TryGetProperty("retryable", out var r) ? r.GetBoolean() : (int)response.StatusCode >= 500;
        throw new BatchSyncException((int)response.StatusCode, message, errors, retryable);
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }
}
