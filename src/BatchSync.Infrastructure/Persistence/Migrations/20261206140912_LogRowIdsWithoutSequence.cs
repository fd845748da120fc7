using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BatchSync.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// The log tables' ids without <c>AUTOINCREMENT</c>: SQLite's plain rowid, the largest id plus one.
    /// AUTOINCREMENT read and rewrote the table's <c>sqlite_sequence</c> row on every insert of a row, the
    /// server's hottest statement. Log rows are never deleted while the server runs (only the record
    /// identity upgrade deletes twins, at start, before any file work), so an id is not given out twice
    /// to rows the file writer knows. Each table is rebuilt in one pass, every row kept with its id; the
    /// way back gives them a sequence again, starting after the largest id.
    /// </summary>
    public partial class LogRowIdsWithoutSequence : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            SqliteLogTableRebuild.Rebuild(migrationBuilder, "location_logs", autoincrement: false, []);
            SqliteLogTableRebuild.Rebuild(migrationBuilder, "driving_logs", autoincrement: false, []);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            SqliteLogTableRebuild.Rebuild(migrationBuilder, "location_logs", autoincrement: true, []);
            SqliteLogTableRebuild.Rebuild(migrationBuilder, "driving_logs", autoincrement: true, []);
        }
    }
}
