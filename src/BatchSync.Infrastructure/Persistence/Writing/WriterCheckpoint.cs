using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace BatchSync.Infrastructure.Persistence.Writing;

/// <summary>
/// The writer's own checkpoint, which SQLite runs inside a COMMIT once the log has grown past its size.
/// After an ordinary group it finds little left to copy (the <see cref="WalCheckpointer"/> copies beside
/// the writer), and it is what lets the log start over under a steady load. After a commit that wrote a
/// large completion it would copy that whole completion into the database file and sync it before the
/// COMMIT returned, seconds on the path of that completion's answer. Such a commit skips it: the
/// checkpointer copies the pages beside the writer, and the writer's next commit checkpoints what is left.
/// </summary>
internal sealed class WriterCheckpoint
{
    /// <summary>Rows one commit changes from which it skips the writer's checkpoint (one group of parts changes a few hundred).</summary>
    public const int LargeCommitRows = 10_000;

    private readonly sqlite3 _db;
    private readonly int _pages;
    private int _changesAtBegin;

    public WriterCheckpoint(SqliteConnection connection)
    {
        _db = connection.Handle!;
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA wal_autocheckpoint";
        _pages = Convert.ToInt32(pragma.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Called once the group's transaction has begun.</summary>
    public void Begun() => _changesAtBegin = raw.sqlite3_total_changes(_db);

    /// <summary>
    /// Runs the COMMIT, without the writer's checkpoint when the transaction changed at least
    /// <see cref="LargeCommitRows"/> rows. True when it was skipped.
    /// </summary>
    public bool Commit(Action commit)
    {
        // The count wraps over a connection's life; the difference does not.
        var large = unchecked(raw.sqlite3_total_changes(_db) - _changesAtBegin) >= LargeCommitRows;
        if (!large)
        {
            commit();
            return false;
        }

        SqliteResult.Check(_db, raw.sqlite3_wal_autocheckpoint(_db, 0));
        try
        {
            commit();
        }
        finally
        {
            SqliteResult.Check(_db, raw.sqlite3_wal_autocheckpoint(_db, _pages));
        }

        return true;
    }
}
