using System.Diagnostics;

namespace BatchSync.Application.Diagnostics;

/// <summary>
/// The server's spans. An upload is one HTTP span with, under it, <c>batchsync.read</c> (body and
/// JSON), then the command's span holding <c>batchsync.validate</c>, <c>batchsync.stage</c> (records
/// prepared and encoded), <c>batchsync.write</c> (queued, written and committed; a completion
/// included) and <c>batchsync.files</c> (a completion's dated files).
/// </summary>
public static class BatchSyncTracing
{
    public const string SourceName = "BatchSync";
    public const string RequestIdTag = "batchsync.request_id";
    public const string SyncIdTag = "batchsync.sync_id";
    public const string DeviceIdTag = "batchsync.device_id";

    private const string MarkProperty = "batchsync.mark";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>
    /// Closes a step of the current span: a child span from the end of the previous step (or the start
    /// of the current span) to now. One line after each step, so a step needs no block of its own.
    /// </summary>
    public static void Step(string name)
    {
        var parent = Activity.Current;
        if (parent is null || !Source.HasListeners())
        {
            return;
        }

        var now = DateTimeOffset.UtcNow;
        var from = parent.GetCustomProperty(MarkProperty) is DateTimeOffset mark ? mark : new DateTimeOffset(parent.StartTimeUtc);
        using (var step = Source.StartActivity(name, ActivityKind.Internal, parent.Context, startTime: from))
        {
            // Ends where the next step starts, however late this thread gets to stop it.
            step?.SetEndTime(now.UtcDateTime);
        }

        parent.SetCustomProperty(MarkProperty, now);
        Activity.Current = parent;
    }
}

/// <summary>A message about one sync: its span and its log lines carry the sync and device ids.</summary>
public interface ISyncMessage
{
    string? SyncId { get; }

    string? DeviceId { get; }
}
