using System.Diagnostics;
using BatchSync.Application.Diagnostics;

namespace BatchSync.UnitTests.Application;

public sealed class BatchSyncTracingTests : IDisposable
{
    private readonly List<Activity> _stopped = [];
    private readonly ActivityListener _listener;
    private readonly ActivitySource _outer = new("BatchSync.UnitTests.Outer");

    public BatchSyncTracingTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == BatchSyncTracing.SourceName || s == _outer,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (_stopped) { _stopped.Add(a); } },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _outer.Dispose();
    }

    [Fact]
    public void Step_OneAfterAnother_ChildrenThatTileTheParentInOrder()
    {
        using var parent = _outer.StartActivity("parent")!;

        BatchSyncTracing.Step("first");
        Thread.Sleep(5);
        BatchSyncTracing.Step("second");

        Assert.Same(parent, Activity.Current);
        var steps = Mine(parent).ToList();
        Assert.Equal(["first", "second"], steps.Select(s => s.OperationName));
        Assert.All(steps, s => Assert.Equal(parent.SpanId, s.ParentSpanId));
        Assert.Equal(parent.StartTimeUtc, steps[0].StartTimeUtc);
        Assert.Equal(steps[0].StartTimeUtc + steps[0].Duration, steps[1].StartTimeUtc);
        Assert.True(steps[1].Duration >= TimeSpan.FromMilliseconds(4));
    }

    [Fact]
    public void Step_WithoutACurrentSpan_DoesNothing()
    {
        Activity.Current = null;

        BatchSyncTracing.Step("alone");

        Assert.Null(Activity.Current);
        lock (_stopped)
        {
            Assert.DoesNotContain(_stopped, a => a.OperationName == "alone");
        }
    }

    private List<Activity> Mine(Activity parent)
    {
        lock (_stopped)
        {
            return [.. _stopped.Where(a => a.TraceId == parent.TraceId && a.Source.Name == BatchSyncTracing.SourceName)];
        }
    }
}
