using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Nio.Admin.Tests.Journey;

/// <summary>Screenshots of the panel's pages at desktop and phone size, for a person to look at.</summary>
public static class Screens
{
    private static readonly (string Name, string Path)[] Pages =
    [
        ("dashboard", "/"),
        ("users", "/users"),
        ("user", "/users/{user}"),
        ("streams-ended", "/streams?status=ended"),
        ("chat", "/chat"),
        ("balances", "/balances"),
        ("payments", "/payments"),
        ("withdrawals", "/withdrawals"),
        ("gifts", "/gifts"),
        ("audit-log", "/audit"),
    ];

    public static async Task CaptureAsync(IPage page, string name, ITestOutputHelper output)
    {
        var size = page.ViewportSize?.Width <= PanelBrowser.Phone.Width ? "phone" : "desktop";
        var path = System.IO.Path.Combine(PanelBrowser.ScreenshotFolder, $"{name}-{size}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        output.WriteLine("screenshot " + path);
    }

    /// <summary>Signs in at each size, captures every page and returns the pages wider than the screen (none on a usable phone layout).</summary>
    public static async Task<List<string>> CaptureEveryPageAsync(PanelBrowser browser, string panelUrl, string email, string password, Guid userId, ITestOutputHelper output)
    {
        var overflowing = new List<string>();
        foreach (var size in new[] { PanelBrowser.Desktop, PanelBrowser.Phone })
        {
            var signIn = await browser.NewPageAsync(panelUrl, size);
            await signIn.GotoAsync("/signin");
            await CaptureAsync(signIn, "signin", output);
            await signIn.Context.CloseAsync();

            var page = await PanelJourneyTests.SignInAsync(browser, panelUrl, email, password, size);
            foreach (var (name, path) in Pages)
            {
                await page.GotoAsync(path.Replace("{user}", userId.ToString(), StringComparison.Ordinal));
                await Expect(page.Locator("h1").First).ToBeVisibleAsync();
                // Lists and figures arrive a moment after the heading.
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                await Expect(page.Locator(".mud-progress-linear, .mud-table-loading")).ToHaveCountAsync(0);
                await CaptureAsync(page, name, output);
                if (await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > document.documentElement.clientWidth + 1"))
                {
                    overflowing.Add($"{name} at {size.Width}px");
                }
            }

            await page.Context.CloseAsync();
        }

        return overflowing;
    }
}
