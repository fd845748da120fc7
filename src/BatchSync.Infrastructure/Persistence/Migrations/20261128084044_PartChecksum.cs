using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BatchSync.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class PartChecksum : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Parts stored before this have no checksum on record (empty); their content hash still tells
            // a resend from a contradiction.
            migrationBuilder.AddColumn<string>(
                name: "checksum",
                table: "batch_parts",
                type: "TEXT",
                maxLength: 71,
                nullable: false,
                defaultValue: "");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "checksum",
                table: "batch_parts");
        }
    }
}
