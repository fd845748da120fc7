using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

using BatchSync.Infrastructure.Persistence.PostgreSql;

namespace BatchSync.Infrastructure.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class InitialPostgreSql : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The log tables, partitioned by day, and the tables only the PostgreSQL write path uses.
            migrationBuilder.Sql(PostgresSchema.Create);

            migrationBuilder.CreateTable(
                name: "api_tokens",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    role = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    devices = table.Column<string>(type: "text", nullable: false),
                    sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    created_at = table.Column<long>(type: "bigint", nullable: false),
                    last_used_at = table.Column<long>(type: "bigint", nullable: true),
                    revoked_at = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_api_tokens", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "audit_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    at = table.Column<long>(type: "bigint", nullable: false),
                    outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    status = table.Column<int>(type: "integer", nullable: false),
                    request_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    token_name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    remote_address = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    method = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true),
                    path = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    device_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    user_name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    sync_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    part_number = table.Column<int>(type: "integer", nullable: true),
                    reason = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_events", x => x.id);
                });




            migrationBuilder.CreateTable(
                name: "sync_sessions",
                columns: table => new
                {
                    sync_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    device_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    user_name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    total_parts = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    created_at = table.Column<long>(type: "bigint", nullable: false),
                    updated_at = table.Column<long>(type: "bigint", nullable: false),
                    completed_at = table.Column<long>(type: "bigint", nullable: true),
                    completion = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sync_sessions", x => x.sync_id);
                });

            migrationBuilder.CreateTable(
                name: "batch_parts",
                columns: table => new
                {
                    sync_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    part_number = table.Column<int>(type: "integer", nullable: false),
                    record_count = table.Column<int>(type: "integer", nullable: false),
                    checksum = table.Column<string>(type: "character varying(71)", maxLength: 71, nullable: false),
                    content_hash = table.Column<string>(type: "character varying(71)", maxLength: 71, nullable: false),
                    received_at = table.Column<long>(type: "bigint", nullable: false),
                    payload = table.Column<byte[]>(type: "bytea", nullable: true)
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
                name: "IX_api_tokens_name",
                table: "api_tokens",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_api_tokens_sha256",
                table: "api_tokens",
                column: "sha256",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_audit_events_at",
                table: "audit_events",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "IX_audit_events_device_id_at",
                table: "audit_events",
                columns: new[] { "device_id", "at" });



            migrationBuilder.CreateIndex(
                name: "IX_sync_sessions_device_id_status",
                table: "sync_sessions",
                columns: new[] { "device_id", "status" });

            migrationBuilder.CreateIndex(
                name: "IX_sync_sessions_status_updated_at",
                table: "sync_sessions",
                columns: new[] { "status", "updated_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(PostgresSchema.Drop);

            migrationBuilder.DropTable(
                name: "api_tokens");

            migrationBuilder.DropTable(
                name: "audit_events");

            migrationBuilder.DropTable(
                name: "batch_parts");




            migrationBuilder.DropTable(
                name: "sync_sessions");
        }
    }
}
