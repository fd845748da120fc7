using System.Diagnostics.Metrics;
using BatchSync.Application.Diagnostics;

namespace BatchSync.UnitTests.Application;

public sealed class BatchSyncMetricsTests : IDisposable
{
    private readonly MeterFactory _meters = new();
    private readonly MeterListener _listener = new();
    private readonly List<(string Name, double Value, Dictionary<string, object?> Tags)> _measured = [];
    private readonly BatchSyncMetrics _metrics;

    public BatchSyncMetricsTests()
    {
        _metrics = new BatchSyncMetrics(_meters);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (_meters.Created.Contains(instrument.Meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => _measured.Add((i.Name, v, ToDictionary(tags))));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => _measured.Add((i.Name, v, ToDictionary(tags))));
        _listener.Start();
    }

    public void Dispose()
    {
        _listener.Dispose();
        _meters.Dispose();
    }

    [Fact]
    public void PartAnswered_Completed_CountsThePartTheSyncAndItsDuration()
    {
        _metrics.PartAnswered(BatchSyncMetrics.Outcomes.Completed, 200, TimeSpan.FromMilliseconds(250));

        Assert.Contains(_measured, m => m is { Name: "batchsync.parts.received", Value: 1 } && (string?)m.Tags["outcome"] == "completed" && !m.Tags.ContainsKey("http.response.status_code"));
        Assert.Contains(_measured, m => m is { Name: "batchsync.syncs.completed", Value: 1 });
        Assert.Contains(_measured, m => m is { Name: "batchsync.sync.completion.duration", Value: 0.25 });
        Assert.Contains(_measured, m => m is { Name: "batchsync.part.duration", Value: 0.25 } && (string?)m.Tags["outcome"] == "completed");
    }

    [Fact]
    public void PartAnswered_Refused_CarriesTheStatusAndCompletesNothing()
    {
        _metrics.PartAnswered(BatchSyncMetrics.Outcomes.Refused, 507, TimeSpan.FromMilliseconds(3));

        Assert.Contains(_measured, m => m.Name == "batchsync.parts.received" && (int?)m.Tags["http.response.status_code"] == 507);
        Assert.DoesNotContain(_measured, m => m.Name is "batchsync.syncs.completed" or "batchsync.sync.completion.duration");
    }

    [Fact]
    public void Gauges_ReadFromTheirSources_NothingWhenTheStoreCannotAnswer()
    {
        _metrics.ObserveWriteQueue(() => 7);
        _metrics.ObserveStore(() => new StoreReading(OpenSyncs: 3, FilesOwed: 2, FreeBytes: 1024));
        _listener.RecordObservableInstruments();
        _metrics.ObserveStore(() => null);
        _listener.RecordObservableInstruments();

        Assert.Equal([7, 7], _measured.Where(m => m.Name == "batchsync.write.queue.depth").Select(m => m.Value));
        Assert.Equal([3], _measured.Where(m => m.Name == "batchsync.syncs.open").Select(m => m.Value));
        Assert.Equal([2], _measured.Where(m => m.Name == "batchsync.log_files.owed").Select(m => m.Value));
        Assert.Equal([1024], _measured.Where(m => m.Name == "batchsync.data.free_space").Select(m => m.Value));
    }

    private static Dictionary<string, object?> ToDictionary(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var all = new Dictionary<string, object?>();
        foreach (var (key, value) in tags)
        {
            all[key] = value;
        }

        return all;
    }

    private sealed class MeterFactory : IMeterFactory
    {
        public List<Meter> Created { get; } = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            Created.Add(meter);
            return meter;
        }

        public void Dispose() => Created.ForEach(m => m.Dispose());
    }
}
