using BatchSync.Application.Abstractions;
using BatchSync.Domain.Sync;
using static BatchSync.Infrastructure.Persistence.Writing.SqliteStatements;

namespace BatchSync.Infrastructure.Persistence.Writing;

/// <summary>Finished sessions forgotten on SQLite: a batch of the oldest is one item of the writer's group commit.</summary>
internal sealed class SqliteSessionRetention(SyncWriteQueue writer) : ISessionRetention
{
    public Task<int> PurgeFinishedAsync(DateTime finishedBefore, int limit, CancellationToken cancellationToken) =>
        writer.Enqueue(context => PurgeFinished(context, finishedBefore, limit), cancellationToken);

    private static int PurgeFinished(WriteContext context, DateTime finishedBefore, int limit)
    {
        var select = context.Statements.Command(
            "SELECT sync_id FROM sync_sessions WHERE status IN ($completed, $expired) AND updated_at < $cutoff " +
            "ORDER BY updated_at LIMIT $limit",
            "$completed", "$expired", "$cutoff", "$limit");
        Bind(select, nameof(SyncStatus.Completed), nameof(SyncStatus.Expired), Millis(finishedBefore), limit);
        var purged = new List<string>();
        using (var row = select.ExecuteReader())
        {
            while (row.Read())
            {
                purged.Add(row.GetString(0));
            }
        }

        foreach (var syncId in purged)
        {
            context.Sessions.Delete(syncId);
        }

        return purged.Count;
    }
}
