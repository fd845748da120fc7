using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BatchSync.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// <c>batch_parts</c> rebuilt with <c>payload</c> as its last column, every row kept. SQLite reads a
    /// row's columns in order, so with <c>checksum</c> and <c>first_timestamp</c> (added later, after it)
    /// every read of a part's bookkeeping walked the staged records' overflow pages: each part of a sync
    /// read all the parts staged before it. Same columns, types, key and foreign key as before.
    /// </summary>
    [DbContext(typeof(BatchSyncDbContext))]
    [Migration("20261203131500_StagedPayloadLast")]
    public partial class StagedPayloadLast : Migration
    {
        private const string Key =
            "CONSTRAINT \"PK_batch_parts\" PRIMARY KEY (\"sync_id\", \"part_number\"), " +
            "CONSTRAINT \"FK_batch_parts_sync_sessions_sync_id\" FOREIGN KEY (\"sync_id\") REFERENCES \"sync_sessions\" (\"sync_id\") ON DELETE CASCADE";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) => Rebuild(
            migrationBuilder,
            "\"sync_id\" TEXT NOT NULL, \"part_number\" INTEGER NOT NULL, \"record_count\" INTEGER NOT NULL, " +
            "\"checksum\" TEXT NOT NULL DEFAULT '', \"content_hash\" TEXT NOT NULL, \"received_at\" INTEGER NOT NULL, " +
            "\"first_timestamp\" INTEGER NULL, \"payload\" BLOB NULL");

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) => Rebuild(
            migrationBuilder,
            "\"sync_id\" TEXT NOT NULL, \"part_number\" INTEGER NOT NULL, \"record_count\" INTEGER NOT NULL, " +
            "\"content_hash\" TEXT NOT NULL, \"received_at\" INTEGER NOT NULL, \"payload\" BLOB NULL, " +
            "\"checksum\" TEXT NOT NULL DEFAULT '', \"first_timestamp\" INTEGER NULL");

        private static void Rebuild(MigrationBuilder migrationBuilder, string columns)
        {
            const string All = "sync_id, part_number, record_count, checksum, content_hash, received_at, first_timestamp, payload";
            migrationBuilder.Sql($"CREATE TABLE \"ef_temp_batch_parts\" ({columns}, {Key});");
            migrationBuilder.Sql($"INSERT INTO \"ef_temp_batch_parts\" ({All}) SELECT {All} FROM \"batch_parts\";");
            migrationBuilder.Sql("DROP TABLE \"batch_parts\";");
            migrationBuilder.Sql("ALTER TABLE \"ef_temp_batch_parts\" RENAME TO \"batch_parts\";");
        }
    }
}
