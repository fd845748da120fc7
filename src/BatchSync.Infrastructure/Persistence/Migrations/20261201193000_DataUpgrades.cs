using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BatchSync.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// <c>data_upgrades</c>: which one-time passes over stored rows have run (Upgrades/); outside the
    /// EF model, read and written by those passes alone.
    /// </summary>
    [DbContext(typeof(BatchSyncDbContext))]
    [Migration("20261201193000_DataUpgrades")]
    public partial class DataUpgrades : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "data_upgrades",
                columns: table => new
                {
                    name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    applied_at = table.Column<long>(type: "INTEGER", nullable: false),
                },
                constraints: table => table.PrimaryKey("PK_data_upgrades", x => x.name));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(name: "data_upgrades");
        }
    }
}
