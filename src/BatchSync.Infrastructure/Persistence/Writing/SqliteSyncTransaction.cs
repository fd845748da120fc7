using BatchSync.Application.Abstractions;
using BatchSync.Application.Sync;
using BatchSync.Domain.Sync;

namespace BatchSync.Infrastructure.Persistence.Writing;

/// <summary>
/// One sync's unit of work on the SQLite writer. Everything runs on the writer's thread inside its
/// transaction, so every call completes at once; what it saves is what the session changed since it
/// was loaded.
/// </summary>
internal sealed class SqliteSyncTransaction(SqliteSyncStore store, string syncId) : ISyncTransaction
{
    private HashSet<int> _storedParts = [];
    private bool _stored;

    public ValueTask<SyncSession?> LoadSessionAsync(CancellationToken cancellationToken)
    {
        var session = store.FindSession(syncId);
        _stored = session is not null;
        _storedParts = session is null ? [] : [.. session.Parts.Select(p => p.PartNumber)];
        return ValueTask.FromResult(session);
    }

    public ValueTask SaveSessionAsync(SyncSession session, StagedPart? staged, CancellationToken cancellationToken)
    {
        if (_stored)
        {
            store.UpdateSession(session);
        }
        else
        {
            store.AddSession(session);
            _stored = true;
        }

        if (session.Status is SyncStatus.Expired or SyncStatus.Aborted)
        {
            if (_storedParts.Count > 0)
            {
                store.DeleteParts(syncId);
                _storedParts.Clear();
            }

            return ValueTask.CompletedTask;
        }

        foreach (var part in session.Parts)
        {
            if (_storedParts.Add(part.PartNumber))
            {
                var records = session.Status == SyncStatus.Open && staged?.PartNumber == part.PartNumber ? staged.Records : null;
                store.AddPart(syncId, part, records);
            }
        }

        if (session.Status == SyncStatus.Completed)
        {
            store.DropStagedRecords(syncId);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<int> CountOpenSessionsAsync(string? deviceId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(store.CountOpenSessions(deviceId));

    public ValueTask<IReadOnlyList<byte[]>> LoadStagedPartsAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(store.LoadStagedParts(syncId));

    public ValueTask<LogAppendResult> AppendToLogsAsync(
        SyncSession session,
        IReadOnlyList<PreparedRecord> records,
        CancellationToken cancellationToken) =>
        ValueTask.FromResult(store.AppendToLogs(session, records));
}
