using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AWorld.Console.Storage.Migrations
{
    /// <inheritdoc />
    public partial class DrillNextDate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "NextDrillDate",
                table: "Drills",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "NextDrillDate",
                table: "Drills");
        }
    }
}
