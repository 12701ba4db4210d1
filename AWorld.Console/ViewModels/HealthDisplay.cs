using AWorld.Core.Telemetry;
using MudBlazor;

namespace AWorld.Console.ViewModels;

/// <summary>Every status has a word and an icon as well as a colour: status is never shown by colour alone.</summary>
public sealed record HealthDisplay(string Label, string Icon, Color Color, string CssClass)
{
    public static HealthDisplay For(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => new("Healthy", Icons.Material.Filled.CheckCircle, Color.Success, "healthy"),
        HealthStatus.Degraded => new("Degraded", Icons.Material.Filled.Warning, Color.Warning, "degraded"),
        HealthStatus.Unhealthy => new("Unhealthy", Icons.Material.Filled.Cancel, Color.Error, "unhealthy"),
        _ => new("Unknown", Icons.Material.Filled.HelpOutline, Color.Default, "unknown"),
    };
}
