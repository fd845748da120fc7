using System.Threading.Channels;
using BatchSync.Application.Abstractions;
using BatchSync.Domain.Audit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BatchSync.Infrastructure.Persistence;

/// <summary>
/// Queues audit events and hands them to the <see cref="IAuditStore"/> in batches: a request pays for a
/// queue write, never for a disk write. The queue is bounded; should the writer fall that
/// far behind, events past the bound are counted and logged, never allowed to stall an upload. At a
/// stop, what is queued is written before the writer stops.
/// </summary>
internal sealed class AuditWriter(IAuditStore store, ILogger<AuditWriter> logger) : IAuditLog, IHostedService
{
    private const int Capacity = 100_000;
    private const int MaxBatch = 1_000;
    private static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(50);

    private readonly Channel<AuditEvent> _queue = Channel.CreateBounded<AuditEvent>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private Task? _loop;
    private long _dropped;

    public void Record(AuditEvent auditEvent)
    {
        if (!_queue.Writer.TryWrite(auditEvent))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(RunAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        if (_loop is not null)
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RunAsync()
    {
        var batch = new List<AuditEvent>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            await Task.Delay(Gather).ConfigureAwait(false);
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            try
            {
                var events = batch.ToArray();
                await store.AddAsync(events, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                logger.LogError(e, "{Count} audit events not written", batch.Count);
            }

            batch.Clear();
            if (Interlocked.Exchange(ref _dropped, 0) is var dropped and > 0)
            {
                logger.LogError("{Count} audit events dropped: the audit queue was full", dropped);
            }
        }
    }
}
