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
            SqliteLogTableRebuild.Rebuild(migrationBuilder, "location_logs", autoincrement: true, []);
            SqliteLogTableRebuild.Rebuild(migrationBuilder, "driving_logs", autoincrement: true, []);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            SqliteLogTableRebuild.Rebuild(migrationBuilder, "location_logs", autoincrement: true, LocationFields);
            SqliteLogTableRebuild.Rebuild(migrationBuilder, "driving_logs", autoincrement: true, DrivingFields);
        }
    }
}
