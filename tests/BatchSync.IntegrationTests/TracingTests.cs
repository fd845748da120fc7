using System.Collections.Concurrent;
using System.Diagnostics;
using BatchSync.Application.Diagnostics;
using BatchSync.IntegrationTests.Infrastructure;

namespace BatchSync.IntegrationTests;

public sealed class TracingTests(BatchSyncApp app) : IClassFixture<BatchSyncApp>, IDisposable
{
    private readonly ConcurrentBag<Activity> _stopped = [];
    private ActivityListener? _listener;

    public void Dispose() => _listener?.Dispose();

    [Fact]
    public async Task CompletingPart_OneTraceWithTheRequestId_ReadValidateStageWriteFilesInOrder()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is BatchSyncTracing.SourceName or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Add,
        };
        ActivitySource.AddActivityListener(_listener);
        var syncId = SyncData.NewId("trace");
        var requestId = "trace-" + Guid.NewGuid().ToString("N")[..12];
        var client = app.ClientWith(BatchSyncApp.DeviceToken);
        client.DefaultRequestHeaders.Add("X-Request-Id", requestId);

        await client.PostPart(SyncData.Parts(syncId, "trace-phone", SyncData.Records(12), perPart: 12)[0]).Ok();

        Activity? http = null;
        await Eventually.True(() => (http = _stopped.FirstOrDefault(a => (a.GetTagItem(BatchSyncTracing.RequestIdTag) as string) == requestId)) is not null,
            TimeSpan.FromSeconds(10), "the request's span carries its request id");
        var ours = _stopped.Where(a => a.TraceId == http!.TraceId && a.Source.Name == BatchSyncTracing.SourceName).OrderBy(a => a.StartTimeUtc).ToList();
        var command = Assert.Single(ours, a => a.OperationName == "batchsync.UploadBatchPartCommand");
        Assert.Equal(syncId, command.GetTagItem(BatchSyncTracing.SyncIdTag));
        Assert.Equal("trace-phone", command.GetTagItem(BatchSyncTracing.DeviceIdTag));
        string[] steps = ["batchsync.read", "batchsync.validate", "batchsync.stage", "batchsync.write", "batchsync.files"];
        Assert.Equal(steps, ours.Where(a => steps.Contains(a.OperationName)).Select(a => a.OperationName));
        Assert.All(ours.Where(a => a.OperationName != "batchsync.read" && steps.Contains(a.OperationName)), a => Assert.Equal(command.SpanId, a.ParentSpanId));
        Assert.Equal(http!.SpanId, ours.Single(a => a.OperationName == "batchsync.read").ParentSpanId);
    }
}
