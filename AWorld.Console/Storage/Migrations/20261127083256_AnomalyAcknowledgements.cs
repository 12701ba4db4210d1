using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AWorld.Console.Storage.Migrations
{
    /// <inheritdoc />
    public partial class AnomalyAcknowledgements : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AnomalyAcks",
                columns: table => new
                {
                    AnomalyId = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    SeriesKey = table.Column<string>(type: "TEXT", nullable: false),
                    By = table.Column<string>(type: "TEXT", nullable: false),
                    Role = table.Column<string>(type: "TEXT", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    AtTicks = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AnomalyAcks", x => x.AnomalyId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AnomalyAcks_AtTicks",
                table: "AnomalyAcks",
                column: "AtTicks");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AnomalyAcks");
        }
    }
}
