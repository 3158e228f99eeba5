using MudBlazor;

namespace Nio.Admin.Components.Layout;

/// <summary>The panel's colours: NIO's purple, with the default palette's contrast for text.</summary>
public static class AdminTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#6d28d9",
            AppbarBackground = "#3b0764",
        },
    };
}
