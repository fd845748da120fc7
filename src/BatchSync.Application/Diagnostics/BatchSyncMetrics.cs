using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace BatchSync.Application.Diagnostics;

/// <summary>
/// Every instrument of the server, under the <c>batchsync.</c> prefix, in the OpenTelemetry style
/// (dotted names, UCUM units; the Prometheus exporter turns <c>batchsync.parts.received</c> into
/// <c>batchsync_parts_received_total</c>). Counters are recorded where the event happens; gauges are
/// read when a scrape or an export asks, from the sources registered with the <c>Observe</c> methods.
/// </summary>
public sealed class BatchSyncMetrics
{
    public const string MeterName = "BatchSync";

    private readonly Counter<long> _parts;
    private readonly Counter<long> _recordsStored;
    private readonly Counter<long> _recordsAlreadyStored;
    private readonly Counter<long> _syncsCompleted;
    private readonly Counter<long> _syncsExpired;
    private readonly Counter<long> _tokensRefused;
    private readonly Histogram<double> _completionDuration;
    private readonly Histogram<double> _partDuration;
    private readonly Histogram<double> _commitDuration;
    private readonly Histogram<double> _queueWait;

    private Func<long>? _queueDepth;
    private Func<StoreReading?>? _store;

    public BatchSyncMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _parts = meter.CreateCounter<long>("batchsync.parts.received", "{part}",
            "Upload requests answered, by outcome: stored, duplicate, completed, rejected (400), conflict (409), refused (any other refusal, with its status code)");
        _recordsStored = meter.CreateCounter<long>("batchsync.records.stored", "{record}",
            "Records newly written to the log tables by completed syncs");
        _recordsAlreadyStored = meter.CreateCounter<long>("batchsync.records.already_stored", "{record}",
            "Records of completed syncs skipped because the device's log already held them");
        _syncsCompleted = meter.CreateCounter<long>("batchsync.syncs.completed", "{sync}", "Syncs completed");
        _syncsExpired = meter.CreateCounter<long>("batchsync.syncs.expired", "{sync}", "Open syncs expired by the retention sweep");
        _tokensRefused = meter.CreateCounter<long>("batchsync.tokens.refused", "{request}",
            "Requests refused for their token: unknown (401) or not allowed to do that (403)");
        _completionDuration = meter.CreateHistogram("batchsync.sync.completion.duration", "s",
            "How long the request that completed a sync took, files written included",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _partDuration = meter.CreateHistogram("batchsync.part.duration", "s",
            "How long an upload request took, by outcome",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
        _commitDuration = meter.CreateHistogram("batchsync.write.commit.duration", "s",
            "How long the writer took to commit one group of writes (durable)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1] });
        _queueWait = meter.CreateHistogram("batchsync.write.queue.wait", "s",
            "How long a write waited for the single writer (SQLite) before it ran",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1] });

        meter.CreateObservableUpDownCounter("batchsync.write.queue.depth", ObserveQueueDepth, "{item}",
            "Writes waiting for the writer");
        meter.CreateObservableUpDownCounter("batchsync.syncs.open", () => Read(s => s.OpenSyncs), "{sync}",
            "Syncs open (parts received, not yet completed)");
        meter.CreateObservableUpDownCounter("batchsync.log_files.owed", () => Read(s => s.FilesOwed), "{file}",
            "Dated log files a completion changed that are not yet known to be written");
        meter.CreateObservableUpDownCounter("batchsync.data.free_space", () => Read(s => s.FreeBytes), "By",
            "Bytes free in the data folder's file system");
    }

    /// <summary>The writer says how many items wait for it.</summary>
    public void ObserveWriteQueue(Func<long> depth) => _queueDepth = depth;

    /// <summary>What the store holds, read when a gauge is collected; null when the store cannot answer now.</summary>
    public void ObserveStore(Func<StoreReading?> read) => _store = read;

    public void PartAnswered(string outcome, int status, TimeSpan elapsed)
    {
        var tags = new TagList { { "outcome", outcome } };
        if (outcome == Outcomes.Refused)
        {
            tags.Add("http.response.status_code", status);
        }

        _parts.Add(1, tags);
        _partDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));
        if (outcome == Outcomes.Completed)
        {
            _syncsCompleted.Add(1);
            _completionDuration.Record(elapsed.TotalSeconds);
        }
    }

    /// <summary>A completion's records: how many were new, how many the log already held.</summary>
    public void RecordsAppended(int inserted, int alreadyStored)
    {
        _recordsStored.Add(inserted);
        _recordsAlreadyStored.Add(alreadyStored);
    }

    /// <summary>Recorded by every sweep, none expired included, so the series exists from the start.</summary>
    public void SyncsExpired(int count) => _syncsExpired.Add(count);

    /// <param name="reason"><c>unknown</c> (no such token, or revoked) or <c>forbidden</c> (the token may not do that).</param>
    public void TokenRefused(string reason) => _tokensRefused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>One group commit of the writer, from BEGIN to a durable COMMIT.</summary>
    public void CommitDone(TimeSpan elapsed) => _commitDuration.Record(elapsed.TotalSeconds);

    /// <summary>A write taken by the writer, after waiting this long in its queue.</summary>
    public void WriteQueued(TimeSpan waited) => _queueWait.Record(waited.TotalSeconds);

    private IEnumerable<Measurement<long>> ObserveQueueDepth() =>
        _queueDepth is { } depth ? [new Measurement<long>(depth())] : [];

    private IEnumerable<Measurement<long>> Read(Func<StoreReading, long> value) =>
        _store?.Invoke() is { } reading ? [new Measurement<long>(value(reading))] : [];

    /// <summary>The <c>outcome</c> tag's values for parts.</summary>
    public static class Outcomes
    {
        public const string Stored = "stored";
        public const string Duplicate = "duplicate";
        public const string Completed = "completed";
        public const string Rejected = "rejected";
        public const string Conflict = "conflict";
        public const string Refused = "refused";
    }
}

/// <summary>The store's gauges at one instant.</summary>
public sealed record StoreReading(long OpenSyncs, long FilesOwed, long FreeBytes);
