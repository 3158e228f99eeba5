using Deque.AxeCore.Playwright;
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

    /// <summary>
    /// Signs in at each size and captures every page; returns what a person would trip over: pages wider than the
    /// screen, and serious or critical accessibility violations (axe) such as a control without an accessible name.
    /// </summary>
    public static async Task<List<string>> CaptureEveryPageAsync(PanelBrowser browser, string panelUrl, string email, string password, Guid userId, ITestOutputHelper output)
    {
        var problems = new List<string>();
        foreach (var size in new[] { PanelBrowser.Desktop, PanelBrowser.Phone })
        {
            var signIn = await browser.NewPageAsync(panelUrl, size);
            await signIn.GotoAsync("/signin");
            await CaptureAsync(signIn, "signin", output);
            problems.AddRange(await AccessibilityProblemsAsync(signIn, "signin"));
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
                    problems.Add($"{name} is wider than the screen at {size.Width}px");
                }

                if (size == PanelBrowser.Desktop)
                {
                    problems.AddRange(await AccessibilityProblemsAsync(page, name));
                }
            }

            await page.Context.CloseAsync();
        }

        return problems;
    }

    private static async Task<IEnumerable<string>> AccessibilityProblemsAsync(IPage page, string name)
    {
        var result = await page.RunAxe();
        return result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{name}: {v.Id} ({v.Impact}) at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}");
    }
}
