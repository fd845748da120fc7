using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BatchSync.Infrastructure.Persistence.Migrations.PostgreSql
{
    /// <summary>
    /// The log tables without a column per record field: a row keeps where the record came from, its
    /// date, its identity and its canonical JSON, which holds every field. On the partitioned tables the
    /// columns go from every partition at once, and no row is rewritten. The way back adds the columns
    /// again, filled from the JSON.
    /// </summary>
    public partial class LeanLogRows : Migration
    {
        // The columns the tables had, each with the JSON path it held and whether it was required.
        private static readonly (string Column, string Type, string Path, bool Required)[] LocationFields =
        [
            ("speed", "double precision", "{speed}", false),
            ("bearing", "double precision", "{bearing}", false),
            ("latitude", "double precision", "{latitude}", true),
            ("longitude", "double precision", "{longitude}", true),
            ("accuracy", "double precision", "{accuracy}", false),
            ("altitude", "double precision", "{altitude}", false),
            ("battery_level", "double precision", "{battery_level}", false),
            ("network_type", "varchar(64)", "{network_type}", false),
            ("provider", "varchar(64)", "{provider}", false),
        ];

        private static readonly (string Column, string Type, string Path, bool Required)[] DrivingFields =
        [
            ("speed", "double precision", "{speed}", false),
            ("bearing", "double precision", "{bearing}", false),
            ("event_type", "varchar(64)", "{event_type}", true),
            ("latitude", "double precision", "{location,latitude}", false),
            ("longitude", "double precision", "{location,longitude}", false),
            ("accuracy", "double precision", "{location,accuracy}", false),
        ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE location_logs " + string.Join(", ", LocationFields.Select(f => "DROP COLUMN " + f.Column)) + ";");
            migrationBuilder.Sql("ALTER TABLE driving_logs " + string.Join(", ", DrivingFields.Select(f => "DROP COLUMN " + f.Column)) + ";");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            AddBack(migrationBuilder, "location_logs", LocationFields);
            AddBack(migrationBuilder, "driving_logs", DrivingFields);
        }

        private static void AddBack(MigrationBuilder migrationBuilder, string table, (string Column, string Type, string Path, bool Required)[] fields)
        {
            migrationBuilder.Sql($"ALTER TABLE {table} " + string.Join(", ", fields.Select(f => $"ADD COLUMN {f.Column} {f.Type}")) + ";");
            migrationBuilder.Sql(
                $"UPDATE {table} SET " + string.Join(", ", fields.Select(f => $"{f.Column} = (data::jsonb #>> '{f.Path}')::{f.Type}")) + ";");
            var required = fields.Where(f => f.Required).Select(f => $"ALTER COLUMN {f.Column} SET NOT NULL").ToList();
            migrationBuilder.Sql($"ALTER TABLE {table} " + string.Join(", ", required) + ";");
        }
    }
}
