using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BatchSync.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "driving_logs",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    event_type = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    latitude = table.Column<double>(type: "REAL", nullable: true),
                    longitude = table.Column<double>(type: "REAL", nullable: true),
                    accuracy = table.Column<double>(type: "REAL", nullable: true),
                    device_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    user_name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    sync_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    log_date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    timestamp = table.Column<long>(type: "INTEGER", nullable: false),
                    content_hash = table.Column<long>(type: "INTEGER", nullable: false),
                    speed = table.Column<double>(type: "REAL", nullable: true),
                    bearing = table.Column<double>(type: "REAL", nullable: true),
                    data = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_driving_logs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "location_logs",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    latitude = table.Column<double>(type: "REAL", nullable: false),
                    longitude = table.Column<double>(type: "REAL", nullable: false),
                    accuracy = table.Column<double>(type: "REAL", nullable: true),
                    altitude = table.Column<double>(type: "REAL", nullable: true),
                    battery_level = table.Column<double>(type: "REAL", nullable: true),
                    network_type = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    provider = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    device_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    user_name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    sync_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    log_date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    timestamp = table.Column<long>(type: "INTEGER", nullable: false),
                    content_hash = table.Column<long>(type: "INTEGER", nullable: false),
                    speed = table.Column<double>(type: "REAL", nullable: true),
                    bearing = table.Column<double>(type: "REAL", nullable: true),
                    data = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_location_logs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "log_file_outbox",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    log_type = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    device_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    log_date = table.Column<DateOnly>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_log_file_outbox", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "sync_sessions",
                columns: table => new
                {
                    sync_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    device_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    user_name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    total_parts = table.Column<int>(type: "INTEGER", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false),
                    completed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    completion = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sync_sessions", x => x.sync_id);
                });

            migrationBuilder.CreateTable(
                name: "batch_parts",
                columns: table => new
                {
                    sync_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    part_number = table.Column<int>(type: "INTEGER", nullable: false),
                    record_count = table.Column<int>(type: "INTEGER", nullable: false),
                    content_hash = table.Column<string>(type: "TEXT", maxLength: 71, nullable: false),
                    received_at = table.Column<long>(type: "INTEGER", nullable: false),
                    payload = table.Column<byte[]>(type: "BLOB", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_batch_parts", x => new { x.sync_id, x.part_number });
                    table.ForeignKey(
                        name: "FK_batch_parts_sync_sessions_sync_id",
                        column: x => x.sync_id,
                        principalTable: "sync_sessions",
                        principalColumn: "sync_id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_driving_logs_device_id_timestamp_content_hash",
                table: "driving_logs",
                columns: new[] { "device_id", "timestamp", "content_hash" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_location_logs_device_id_timestamp_content_hash",
                table: "location_logs",
                columns: new[] { "device_id", "timestamp", "content_hash" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_sync_sessions_device_id",
                table: "sync_sessions",
                column: "device_id");

            migrationBuilder.CreateIndex(
                name: "IX_sync_sessions_status_updated_at",
                table: "sync_sessions",
                columns: new[] { "status", "updated_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "batch_parts");

            migrationBuilder.DropTable(
                name: "driving_logs");

            migrationBuilder.DropTable(
                name: "location_logs");

            migrationBuilder.DropTable(
                name: "log_file_outbox");

            migrationBuilder.DropTable(
                name: "sync_sessions");
        }
    }
}
