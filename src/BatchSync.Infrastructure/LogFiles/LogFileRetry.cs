using BatchSync.Domain.Sync;
using Microsoft.Extensions.Logging;

namespace BatchSync.Infrastructure.LogFiles;

/// <summary>
/// The dated log files whose last write failed, perhaps half-way, and their retry. Each is rewritten
/// whole at its next change or by the retry, whichever comes first; the retry rewrites it up to the last
/// row whose file work was handled, so the work still queued behind it neither misses a line nor
/// repeats one. The retry is due its delay after the failure, 1 s doubling to 30 s while files stay
/// owed, on the injected clock. Used by the file writer's thread alone.
/// </summary>
internal sealed class LogFileRetry(LogFileRebuilder rebuilder, Action<List<long>> forgetOutbox, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LastDelay = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Look = TimeSpan.FromMilliseconds(50);

    private readonly Dictionary<string, Owed> _damaged = [];

    // Per table, the last row whose file work was handled.
    private readonly Dictionary<RecordType, long> _handledUpTo = [];
    private TimeSpan _delay = FirstDelay;
    private DateTimeOffset _dueAt;

    /// <summary>Some file is owed a rewrite.</summary>
    public bool Pending => _damaged.Count > 0;

    public bool IsDamaged(string path) => _damaged.ContainsKey(path);

    /// <summary>The writer takes the change's file work in hand: a later retry rewrites its file up to its rows.</summary>
    public void Handled(LogFileChange change) =>
        _handledUpTo[change.Type] = Math.Max(_handledUpTo.GetValueOrDefault(change.Type), change.UpToRowId);

    /// <summary>
    /// The file is rewritten whole at its next change or by the retry; its outbox rows stay, so a restart
    /// rewrites it too. The completions that waited on it hear of the failure.
    /// </summary>
    public void Damaged(string path, List<LogFileChange> changes, Exception error)
    {
        if (_damaged.Count == 0)
        {
            _dueAt = time.GetUtcNow() + _delay;
        }

        if (!_damaged.TryGetValue(path, out var owed))
        {
            var first = changes[0];
            owed = new Owed(first.Type, first.DeviceId, first.Date, []);
            _damaged[path] = owed;
        }

        foreach (var change in changes)
        {
            owed.OutboxIds.Add(change.OutboxId);
            change.MarkFailed(error);
        }

        logger.LogError(
            error,
            "Dated log file {Type}/{Date}/{DeviceId} not written; it stays owed and is rebuilt from the tables",
            owed.Type.WireName(),
            owed.Date,
            owed.DeviceId);
    }

    /// <summary>The writer rewrote the file whole: what earlier failures left owed is settled with it.</summary>
    public void Rewritten(string path, List<long> settled)
    {
        if (_damaged.Remove(path, out var owed))
        {
            settled.AddRange(owed.OutboxIds);
        }
    }

    /// <summary>How long after the last failure or retry the next retry is due.</summary>
    public TimeSpan Delay => _delay;

    /// <summary>
    /// Waits for the writer's next work until the retry is due on the injected clock: true when the work
    /// came first, false when the retry is due (even with work waiting, so steady traffic does not hold it
    /// off). The clock is looked at every <see cref="Look"/> rather than asked for a timer, whose callback
    /// would wait for a free pool thread under load.
    /// </summary>
    public bool WaitForWork(Task ready)
    {
        while (true)
        {
            var left = _dueAt - time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            if (ready.Wait(left < Look ? left : Look))
            {
                return true;
            }
        }
    }

    /// <summary>Rewrites the files whose writes failed, up to the rows already handled; backs off while it fails.</summary>
    public void Run()
    {
        var settled = new List<long>();
        foreach (var (path, owed) in _damaged.ToList())
        {
            try
            {
                rebuilder.Rebuild(owed.Type, owed.DeviceId, owed.Date, _handledUpTo[owed.Type]);
                _damaged.Remove(path);
                settled.AddRange(owed.OutboxIds);
                logger.LogInformation("Dated log file {Path} rewritten after an earlier failure", path);
            }
            catch (Exception e)
            {
                logger.LogWarning("Dated log file {Path} still cannot be written ({Reason}); retrying in {Delay}", path, e.Message, _delay);
            }
        }

        _delay = _damaged.Count == 0 ? FirstDelay : TimeSpan.FromTicks(Math.Min(_delay.Ticks * 2, LastDelay.Ticks));
        _dueAt = time.GetUtcNow() + _delay;
        if (settled.Count > 0)
        {
            forgetOutbox(settled);
        }
    }

    /// <summary>A file whose write failed, perhaps half-way, and the outbox rows it settles once rewritten.</summary>
    private sealed record Owed(RecordType Type, string DeviceId, DateOnly Date, List<long> OutboxIds);
}
