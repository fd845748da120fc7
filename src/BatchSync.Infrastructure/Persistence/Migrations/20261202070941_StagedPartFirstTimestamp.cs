using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BatchSync.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class StagedPartFirstTimestamp : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "first_timestamp",
                table: "batch_parts",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "first_timestamp",
                table: "batch_parts");
        }
    }
}
