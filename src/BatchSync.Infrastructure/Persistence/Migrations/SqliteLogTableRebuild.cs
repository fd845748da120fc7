using Microsoft.EntityFrameworkCore.Migrations;

namespace BatchSync.Infrastructure.Persistence.Migrations;

/// <summary>
/// A SQLite log table rebuilt in one pass inside the migration's transaction: a new table with the given
/// id column and field columns, every row copied into it in id order with its id, the old table dropped,
/// the new one renamed in its place and the unique key on the record's identity created again.
/// </summary>
internal static class SqliteLogTableRebuild
{
    private const string Shared =
        "\"device_id\" TEXT NOT NULL, \"user_name\" TEXT NOT NULL, \"sync_id\" TEXT NOT NULL, \"log_date\" TEXT NOT NULL, " +
        "\"timestamp\" INTEGER NOT NULL, \"content_hash\" INTEGER NOT NULL, \"data\" TEXT NOT NULL";

    private const string SharedNames = "id, device_id, user_name, sync_id, log_date, timestamp, content_hash, data";

    /// <param name="autoincrement">
    /// Whether the new table's ids come from a sequence (<c>AUTOINCREMENT</c>), and then the old table's
    /// sequence is carried over, so an id given out once is never given out again.
    /// </param>
    /// <param name="fields">Field columns of the new table, each with the JSON path its value is read from.</param>
    public static void Rebuild(MigrationBuilder migrationBuilder, string table, bool autoincrement, (string Column, string Type, string Path)[] fields)
    {
        var temp = "ef_temp_" + table;
        var fieldColumns = string.Concat(fields.Select(f => $", \"{f.Column}\" {f.Type}"));
        var fieldNames = string.Concat(fields.Select(f => ", " + f.Column));
        var fieldValues = string.Concat(fields.Select(f => $", json_extract(data, '{f.Path}')"));
        var key = autoincrement ? "PRIMARY KEY AUTOINCREMENT" : "PRIMARY KEY";
        migrationBuilder.Sql($"CREATE TABLE \"{temp}\" (\"id\" INTEGER NOT NULL CONSTRAINT \"PK_{table}\" {key}, {Shared}{fieldColumns});");
        migrationBuilder.Sql($"INSERT INTO \"{temp}\" ({SharedNames}{fieldNames}) SELECT {SharedNames}{fieldValues} FROM \"{table}\" ORDER BY id;");
        if (autoincrement)
        {
            // The copy set the sequence to the largest id copied (to 0 for none); the old one may be past it
            // (its newest rows deleted).
            migrationBuilder.Sql(
                $"UPDATE sqlite_sequence SET seq = (SELECT MAX(seq) FROM sqlite_sequence WHERE name IN ('{table}', '{temp}')) WHERE name = '{temp}';");
        }

        // Dropping a table drops its sequence row; renaming one renames it.
        migrationBuilder.Sql($"DROP TABLE \"{table}\";");
        migrationBuilder.Sql($"ALTER TABLE \"{temp}\" RENAME TO \"{table}\";");
        migrationBuilder.Sql(
            $"CREATE UNIQUE INDEX \"IX_{table}_device_id_timestamp_content_hash\" ON \"{table}\" (\"device_id\", \"timestamp\", \"content_hash\");");
    }
}
