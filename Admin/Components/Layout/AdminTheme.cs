using MudBlazor;

namespace Nio.Admin.Components.Layout;

/// <summary>
/// The panel's colours: NIO's purple, and status colours dark enough that white text on them reads at a 4.5:1
/// contrast (WCAG AA), which MudBlazor's default green, red, blue and orange do not reach.
/// </summary>
public static class AdminTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#6d28d9",
            AppbarBackground = "#3b0764",
            Success = "#1b6e34",
            Error = "#b3261e",
            Info = "#0b5cad",
            Warning = "#8a5300",
        },
    };
}
