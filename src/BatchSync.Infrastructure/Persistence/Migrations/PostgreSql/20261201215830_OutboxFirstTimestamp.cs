using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BatchSync.Infrastructure.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class OutboxFirstTimestamp : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The earliest timestamp a completion added to the file, so the writer can tell whether it may
            // append, and read only the new rows, without scanning the file's day.
            migrationBuilder.Sql("ALTER TABLE log_file_outbox ADD COLUMN first_timestamp bigint;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE log_file_outbox DROP COLUMN first_timestamp;");
        }
    }
}
