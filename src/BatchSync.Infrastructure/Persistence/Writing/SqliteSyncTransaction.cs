using BatchSync.Application.Abstractions;
using BatchSync.Application.Sync;
using BatchSync.Domain.Sync;

namespace BatchSync.Infrastructure.Persistence.Writing;

/// <summary>
/// One sync's unit of work on the SQLite writer. Everything runs on the writer's thread inside its
/// transaction, so every call completes at once; what it saves is what the session changed since it
/// was loaded.
/// </summary>
internal sealed class SqliteSyncTransaction(SqliteSessionRows sessions, SqliteLogAppender logs, string syncId) : ISyncTransaction
{
    private readonly SessionChanges _changes = new();

    public ValueTask<SyncSession?> LoadSessionAsync(CancellationToken cancellationToken) => Loaded(sessions.Find(syncId));

    public ValueTask<SyncSession?> LoadSessionForPartAsync(int partNumber, CancellationToken cancellationToken) =>
        Loaded(sessions.Find(syncId, partNumber));

    private ValueTask<SyncSession?> Loaded(SyncSession? session)
    {
        _changes.Loaded(session);
        return ValueTask.FromResult(session);
    }

    public ValueTask SaveSessionAsync(SyncSession session, StagedPart? staged, CancellationToken cancellationToken)
    {
        var change = _changes.Save(session, staged);
        if (change.InsertSession)
        {
            sessions.Add(session);
        }
        else
        {
            sessions.Update(session);
        }

        if (change.DeleteParts)
        {
            sessions.DeleteParts(syncId);
        }

        foreach (var (part, records) in change.AddParts)
        {
            sessions.AddPart(syncId, part, records);
        }

        if (change.DropStaged)
        {
            sessions.DropStagedRecords(syncId);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<int> CountOpenSessionsAsync(string? deviceId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(sessions.CountOpen(deviceId));

    public ValueTask<IReadOnlyList<StagedPartHead>> LoadStagedPartHeadsAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(sessions.LoadStagedPartHeads(syncId));

    public ValueTask<IReadOnlyList<byte[]>> LoadStagedPartsAsync(IReadOnlyList<int> partNumbers, CancellationToken cancellationToken) =>
        ValueTask.FromResult(sessions.LoadStagedParts(syncId, partNumbers));

    public ValueTask<LogAppendResult> AppendToLogsAsync(
        SyncSession session,
        IAsyncEnumerable<PreparedRecord> records,
        CancellationToken cancellationToken) =>
        ValueTask.FromResult(logs.Append(session, records, cancellationToken));
}
