using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BatchSync.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// The log tables without a column per record field: a row keeps where the record came from, its
    /// date, its identity and its canonical JSON, which holds every field. Each table is rebuilt in one
    /// pass inside the migration's transaction, every row kept with its id, and the table's id sequence
    /// carried over, so a row id the file writer has seen is never given out again. The way back adds the
    /// columns again, filled from the JSON.
    /// </summary>
    public partial class LeanLogRows : Migration
    {
        private const string Shared =
            "\"device_id\" TEXT NOT NULL, \"user_name\" TEXT NOT NULL, \"sync_id\" TEXT NOT NULL, \"log_date\" TEXT NOT NULL, " +
            "\"timestamp\" INTEGER NOT NULL, \"content_hash\" INTEGER NOT NULL, \"data\" TEXT NOT NULL";

        private const string SharedNames = "id, device_id, user_name, sync_id, log_date, timestamp, content_hash, data";

        // The columns the tables had, each with the JSON path it held.
        private static readonly (string Column, string Type, string Path)[] LocationFields =
        [
            ("latitude", "REAL NOT NULL DEFAULT 0", "$.latitude"),
            ("longitude", "REAL NOT NULL DEFAULT 0", "$.longitude"),
            ("accuracy", "REAL NULL", "$.accuracy"),
            ("altitude", "REAL NULL", "$.altitude"),
            ("speed", "REAL NULL", "$.speed"),
            ("bearing", "REAL NULL", "$.bearing"),
            ("battery_level", "REAL NULL", "$.battery_level"),
            ("network_type", "TEXT NULL", "$.network_type"),
            ("provider", "TEXT NULL", "$.provider"),
        ];

        private static readonly (string Column, string Type, string Path)[] DrivingFields =
        [
            ("event_type", "TEXT NOT NULL DEFAULT ''", "$.event_type"),
            ("latitude", "REAL NULL", "$.location.latitude"),
            ("longitude", "REAL NULL", "$.location.longitude"),
            ("accuracy", "REAL NULL", "$.location.accuracy"),
            ("speed", "REAL NULL", "$.speed"),
            ("bearing", "REAL NULL", "$.bearing"),
        ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            Rebuild(migrationBuilder, "location_logs", []);
            Rebuild(migrationBuilder, "driving_logs", []);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            Rebuild(migrationBuilder, "location_logs", LocationFields);
            Rebuild(migrationBuilder, "driving_logs", DrivingFields);
        }

        private static void Rebuild(MigrationBuilder migrationBuilder, string table, (string Column, string Type, string Path)[] fields)
        {
            var temp = "ef_temp_" + table;
            var fieldColumns = string.Concat(fields.Select(f => $", \"{f.Column}\" {f.Type}"));
            var fieldNames = string.Concat(fields.Select(f => ", " + f.Column));
            var fieldValues = string.Concat(fields.Select(f => $", json_extract(data, '{f.Path}')"));
            migrationBuilder.Sql(
                $"CREATE TABLE \"{temp}\" (\"id\" INTEGER NOT NULL CONSTRAINT \"PK_{table}\" PRIMARY KEY AUTOINCREMENT, {Shared}{fieldColumns});");
            migrationBuilder.Sql($"INSERT INTO \"{temp}\" ({SharedNames}{fieldNames}) SELECT {SharedNames}{fieldValues} FROM \"{table}\" ORDER BY id;");
            migrationBuilder.Sql($"DELETE FROM sqlite_sequence WHERE name = '{temp}';");
            migrationBuilder.Sql($"INSERT INTO sqlite_sequence (name, seq) SELECT '{temp}', seq FROM sqlite_sequence WHERE name = '{table}';");
            migrationBuilder.Sql($"DROP TABLE \"{table}\";");
            migrationBuilder.Sql($"ALTER TABLE \"{temp}\" RENAME TO \"{table}\";");
            migrationBuilder.Sql(
                $"CREATE UNIQUE INDEX \"IX_{table}_device_id_timestamp_content_hash\" ON \"{table}\" (\"device_id\", \"timestamp\", \"content_hash\");");
        }
    }
}
