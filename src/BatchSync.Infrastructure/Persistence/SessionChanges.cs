using BatchSync.Application.Abstractions;
using BatchSync.Domain.Sync;

namespace BatchSync.Infrastructure.Persistence;

/// <summary>
/// What saving a session means, the same on every provider: the session's row is inserted the first
/// time and updated after; parts received since it was loaded are added (with their staged records
/// while the sync is open); a closed sync's parts are deleted; a completed one keeps no staged records.
/// One per unit of work: it remembers what is stored as the unit goes.
/// </summary>
internal sealed class SessionChanges
{
    // The parts loaded that are stored, and how many are stored in all (loaded or not).
    private HashSet<int> _storedParts = [];
    private int _storedCount;
    private bool _stored;

    public void Loaded(SyncSession? session)
    {
        _stored = session is not null;
        _storedParts = session is null ? [] : [.. session.Parts.Select(p => p.PartNumber)];
        _storedCount = session?.PartCount ?? 0;
    }

    /// <summary>What to write for <paramref name="session"/>, and from then on taken as stored.</summary>
    public Change Save(SyncSession session, StagedPart? staged)
    {
        var insert = !_stored;
        _stored = true;
        if (session.Status is SyncStatus.Expired or SyncStatus.Aborted)
        {
            var delete = _storedCount > 0;
            _storedParts.Clear();
            _storedCount = 0;
            return new Change(insert, delete, [], DropStaged: false);
        }

        var added = new List<(BatchPart Part, StagedPart? Staged)>();
        foreach (var part in session.Parts)
        {
            if (_storedParts.Add(part.PartNumber))
            {
                _storedCount++;
                added.Add((part, session.Status == SyncStatus.Open && staged?.PartNumber == part.PartNumber ? staged : null));
            }
        }

        return new Change(insert, DeleteParts: false, added, DropStaged: session.Status == SyncStatus.Completed);
    }

    public sealed record Change(bool InsertSession, bool DeleteParts, IReadOnlyList<(BatchPart Part, StagedPart? Staged)> AddParts, bool DropStaged);
}
