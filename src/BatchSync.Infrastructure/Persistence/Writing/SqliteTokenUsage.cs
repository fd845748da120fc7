using BatchSync.Application.Abstractions;
using static BatchSync.Infrastructure.Persistence.Writing.SqliteStatements;

namespace BatchSync.Infrastructure.Persistence.Writing;

/// <summary>A token's last use on SQLite: an item of the writer's next group, not awaited.</summary>
internal sealed class SqliteTokenUsage(SyncWriteQueue writer) : ITokenUsage
{
    public void RecordUse(long tokenId, DateTime at) =>
        _ = writer.Enqueue(context => Touch(context.Statements, tokenId, at), CancellationToken.None)
            .ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);

    private static bool Touch(SqliteStatements statements, long tokenId, DateTime at)
    {
        var touch = statements.Command("UPDATE api_tokens SET last_used_at = $at WHERE id = $id", "$at", "$id");
        Bind(touch, Millis(at), tokenId);
        return touch.ExecuteNonQuery() == 1;
    }
}
