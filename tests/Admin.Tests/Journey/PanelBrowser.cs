using Microsoft.Playwright;
using Nio.TestSupport;

namespace Nio.Admin.Tests.Journey;

/// <summary>Debian's Chromium driven by Playwright (never a downloaded browser), with the panel's pages at two sizes.</summary>
public sealed class PanelBrowser : IAsyncDisposable
{
    public static readonly ViewportSize Desktop = new() { Width = 1280, Height = 800 };
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    private readonly IPlaywright playwright;

    private PanelBrowser(IPlaywright playwright, IBrowser browser)
    {
        this.playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    /// <summary>Where the screenshots of a run land, for a person to look at.</summary>
    public static string ScreenshotFolder => Path.Combine(TestHost.RepositoryRoot(), "TestResults", "admin-screenshots");

    public static async Task<PanelBrowser> LaunchAsync()
    {
        // The machine may be busy with encoders: expectations wait as long as actions.
        Microsoft.Playwright.Assertions.SetDefaultExpectTimeout(15_000);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            // Without the background-networking flags Chromium keeps trying to reach the internet from a closed network.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required"],
        });
        return new PanelBrowser(playwright, browser);
    }

    /// <summary>A fresh browser profile (no cookies) at the given size, whose failed expectations wait up to 15 s.</summary>
    public async Task<IPage> NewPageAsync(string baseUrl, ViewportSize size)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, ViewportSize = size, Locale = "en-US" });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright.Dispose();
    }
}
