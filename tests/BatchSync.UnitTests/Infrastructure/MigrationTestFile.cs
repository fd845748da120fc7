using BatchSync.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace BatchSync.UnitTests.Infrastructure;

/// <summary>A real SQLite file for a migration's test: migrated to a named step, then read and written in plain SQL.</summary>
internal sealed class MigrationTestFile : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"batchsync-migration-{Guid.NewGuid():N}.db");

    /// <summary>Applies or reverts migrations until <paramref name="migration"/> is the last applied; null for all of them.</summary>
    public void MigrateTo(string? migration)
    {
        using var db = new BatchSyncDbContext(new DbContextOptionsBuilder<BatchSyncDbContext>().UseSqlite($"Data Source={_path}").Options);
        if (migration is null)
        {
            db.Database.Migrate();
        }
        else
        {
            db.GetService<IMigrator>().Migrate(migration);
        }
    }

    public void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_path};Foreign Keys=True");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public List<object?[]> Rows(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            reader.GetValues(row!);
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>A table's columns in their order.</summary>
    public List<object?> Columns(string table) => [.. Rows($"SELECT name FROM pragma_table_info('{table}') ORDER BY cid").Select(r => r[0])];

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }
}
