using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AWorld.Console.Storage.Migrations
{
    /// <inheritdoc />
    public partial class DrillsAndEvidence : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DrillSchedules",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Cron = table.Column<string>(type: "TEXT", nullable: false),
                    Scenario = table.Column<string>(type: "TEXT", nullable: false),
                    Region = table.Column<string>(type: "TEXT", nullable: false),
                    Policy = table.Column<string>(type: "TEXT", nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAtTicks = table.Column<long>(type: "INTEGER", nullable: false),
                    NextRunTicks = table.Column<long>(type: "INTEGER", nullable: false),
                    LastRunTicks = table.Column<long>(type: "INTEGER", nullable: true),
                    LastDrillId = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DrillSchedules", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Drills",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Scenario = table.Column<string>(type: "TEXT", nullable: false),
                    Region = table.Column<string>(type: "TEXT", nullable: false),
                    Policy = table.Column<string>(type: "TEXT", nullable: false),
                    Mode = table.Column<string>(type: "TEXT", nullable: false),
                    StartedBy = table.Column<string>(type: "TEXT", nullable: false),
                    StartedAtTicks = table.Column<long>(type: "INTEGER", nullable: false),
                    EndedAtTicks = table.Column<long>(type: "INTEGER", nullable: true),
                    State = table.Column<string>(type: "TEXT", nullable: false),
                    Passed = table.Column<bool>(type: "INTEGER", nullable: true),
                    DetectionSeconds = table.Column<double>(type: "REAL", nullable: true),
                    RtoSeconds = table.Column<double>(type: "REAL", nullable: true),
                    RpoSeconds = table.Column<double>(type: "REAL", nullable: true),
                    Verdict = table.Column<string>(type: "TEXT", nullable: true),
                    ReportJson = table.Column<string>(type: "TEXT", nullable: true),
                    AuditJson = table.Column<string>(type: "TEXT", nullable: true),
                    PackFile = table.Column<string>(type: "TEXT", nullable: true),
                    ManifestSha256 = table.Column<string>(type: "TEXT", nullable: true),
                    PreviousManifestSha256 = table.Column<string>(type: "TEXT", nullable: true),
                    SignedOffBy = table.Column<string>(type: "TEXT", nullable: true),
                    SignedOffAtTicks = table.Column<long>(type: "INTEGER", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Drills", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "EvidencePacks",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    DrillId = table.Column<string>(type: "TEXT", nullable: false),
                    File = table.Column<string>(type: "TEXT", nullable: false),
                    ManifestSha256 = table.Column<string>(type: "TEXT", nullable: false),
                    PreviousManifestSha256 = table.Column<string>(type: "TEXT", nullable: true),
                    WrittenAtTicks = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EvidencePacks", x => x.Sequence);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DrillSchedules_NextRunTicks",
                table: "DrillSchedules",
                column: "NextRunTicks");

            migrationBuilder.CreateIndex(
                name: "IX_Drills_StartedAtTicks",
                table: "Drills",
                column: "StartedAtTicks");

            migrationBuilder.CreateIndex(
                name: "IX_EvidencePacks_DrillId",
                table: "EvidencePacks",
                column: "DrillId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DrillSchedules");

            migrationBuilder.DropTable(
                name: "Drills");

            migrationBuilder.DropTable(
                name: "EvidencePacks");
        }
    }
}
