using System.Collections.Concurrent;
using BatchSync.Application.Abstractions;
using BatchSync.Infrastructure.LogFiles;

namespace BatchSync.Infrastructure.Persistence.Writing;

/// <summary>
/// The SQLite side of <see cref="IDatedLogFiles"/>: the writer hands every committed file change to
/// its file writer at once, so a completion only waits here for the changes its commit made.
/// </summary>
internal sealed class CommittedLogFiles : IDatedLogFiles
{
    private readonly ConcurrentDictionary<long, LogFileChange> _committed = new();

    /// <summary>Called by the writer once the changes' commit is durable, before it answers the work that made them.</summary>
    public void Add(IEnumerable<LogFileChange> changes)
    {
        foreach (var change in changes)
        {
            _committed[change.OutboxId] = change;
        }
    }

    public async Task WriteAsync(IReadOnlyList<OwedLogFile> files, CancellationToken cancellationToken)
    {
        var waits = new List<Task>(files.Count);
        foreach (var file in files)
        {
            if (_committed.TryRemove(file.OutboxId, out var change))
            {
                waits.Add(change.Written);
            }
        }

        await Task.WhenAll(waits).WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
