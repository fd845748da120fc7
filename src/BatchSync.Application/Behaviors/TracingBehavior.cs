using System.Diagnostics;
using BatchSync.Application.Diagnostics;
using Mediator;
using Microsoft.Extensions.Logging;

namespace BatchSync.Application.Behaviors;

/// <summary>
/// A span for each message, named after it; a message about one sync also puts its sync and device ids
/// on the span and on every log line written while it is handled.
/// </summary>
internal sealed class TracingBehavior<TMessage, TResponse>(ILogger<TMessage> logger) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    private static readonly string SpanName = "batchsync." + typeof(TMessage).Name;

    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        using var activity = BatchSyncTracing.Source.StartActivity(SpanName);
        if (message is not ISyncMessage sync)
        {
            return await next(message, cancellationToken);
        }

        activity?.SetTag(BatchSyncTracing.SyncIdTag, sync.SyncId).SetTag(BatchSyncTracing.DeviceIdTag, sync.DeviceId);
        using (logger.BeginScope("sync_id={SyncId} device_id={DeviceId}", sync.SyncId, sync.DeviceId))
        {
            return await next(message, cancellationToken);
        }
    }
}
