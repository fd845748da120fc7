using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BatchSync.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class SessionsByDeviceAndStatus : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_sync_sessions_device_id",
                table: "sync_sessions");

            migrationBuilder.CreateIndex(
                name: "IX_sync_sessions_device_id_status",
                table: "sync_sessions",
                columns: new[] { "device_id", "status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_sync_sessions_device_id_status",
                table: "sync_sessions");

            migrationBuilder.CreateIndex(
                name: "IX_sync_sessions_device_id",
                table: "sync_sessions",
                column: "device_id");
        }
    }
}
