using MudBlazor;

namespace AWorld.Console.Components.Layout;

/// <summary>Dark first, for NOC wall screens; system fonts, so nothing is fetched from outside the app.</summary>
public static class ConsoleTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteDark = new PaletteDark
        {
            Primary = "#4fc3f7",
            Secondary = "#b39ddb",
            Background = "#12161c",
            Surface = "#1b2129",
            AppbarBackground = "#0d1117",
            DrawerBackground = "#161b22",
            Success = "#66bb6a",
            Warning = "#ffb74d",
            Error = "#ef5350",
            TextPrimary = "#e0e6eb",
            TextSecondary = "#90a4ae",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"] },
        },
    };
}
