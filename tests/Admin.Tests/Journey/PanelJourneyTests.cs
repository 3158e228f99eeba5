using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Nio.Api.Auth;
using Nio.Api.Streams;
using Nio.TestSupport;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Nio.Admin.Tests.Journey;

/// <summary>
/// Operators at work in Debian's Chromium against the real Api, the real Ingest with ffmpeg publishing, and the panel
/// as its own process: every step goes through the pages by the names the panel promises. Screenshots of each page,
/// desktop and phone, land in TestResults/admin-screenshots.
/// </summary>
public sealed class PanelJourneyTests(PanelStack stack, ITestOutputHelper output) : IClassFixture<PanelStack>
{
    private const string Password = "password-123";

    [Fact]
    public async Task An_admin_runs_the_platform_from_the_panel_a_moderator_sees_no_money_and_a_viewer_is_refused()
    {
        var api = stack.Api;
        var adminToken = (await api.LoginAdminAsync()).AccessToken;
        var viewer = await api.RegisterAsync("Vera Viewer");
        var fan = await api.RegisterAsync("Fan");
        var moderator = await api.RegisterAsync("Mo Moderator");
        (await api.ClientWithToken(adminToken).PutAsJsonAsync($"/api/admin/users/{moderator.User.Id}/roles", new { roles = new[] { "moderator" }, reason = "on the team" }))
            .EnsureSuccessStatusCode();
        var (streamer, stream) = await api.CreateStreamAsync("Journey stream");
        using var publisher = Publisher.Ffmpeg(stack.Ingest.RtmpUrl(stream.StreamKey), seconds: 300);
        await stack.Ingest.WaitForStatusAsync(stream.Id, "live", TimeSpan.FromSeconds(30));
        // A fan sends the streamer two roses (10 beans), which the streamer asks to withdraw.
        (await api.ClientWithToken(adminToken).PostAsJsonAsync($"/api/admin/users/{fan.User.Id}/coins", new { amount = 100, reason = "tester", idempotencyKey = Guid.NewGuid().ToString() }))
            .EnsureSuccessStatusCode();
        (await api.ClientWithToken(fan.AccessToken).PostAsJsonAsync($"/api/streams/{stream.Id}/gifts", new { giftId = "rose", count = 2, idempotencyKey = Guid.NewGuid().ToString() }))
            .EnsureSuccessStatusCode();
        (await api.ClientWithToken(streamer.AccessToken).PostAsJsonAsync("/api/wallet/withdrawals", new { beans = 10, idempotencyKey = Guid.NewGuid().ToString() }))
            .EnsureSuccessStatusCode();

        await using var browser = await PanelBrowser.LaunchAsync();
        try
        {
            await A_viewer_is_refused(browser, viewer.User.Email);
            var page = await SignInAsync(browser, stack.PanelUrl, ApiFactory.AdminEmail, ApiFactory.AdminPassword);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard", Level = 1 })).ToBeVisibleAsync();

            // Users: find the viewer by email and grant 500 coins with a reason.
            await page.GetByRole(AriaRole.Link, new() { Name = "Users" }).ClickAsync();
            await page.GetByLabel("Search", new() { Exact = true }).FillAsync(viewer.User.Email);
            await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("[?&]q="));
            await page.GetByRole(AriaRole.Link, new() { Name = "Vera Viewer" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Vera Viewer", Level = 1 })).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Grant coins" }).ClickAsync();
            var grant = page.GetByRole(AriaRole.Dialog);
            await grant.GetByLabel("Amount").FillAsync("500");
            await grant.GetByLabel("Reason").FillAsync("Apology for the outage");
            await grant.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
            await Expect(page.Locator("[data-wallet=coins]")).ToHaveTextAsync("500");
            var wallet = await api.ClientWithToken(viewer.AccessToken).GetFromJsonAsync<JsonElement>("/api/wallet");
            Assert.Equal(500, wallet.GetProperty("coins").GetInt64());

            // Chat: a message the viewer sends appears live and is deleted; a timeout shows the room the moderation message.
            await using var room = await api.ConnectAsync(viewer.AccessToken);
            await room.JoinAsync(stream.Id);
            await page.GetByRole(AriaRole.Link, new() { Name = "Chat", Exact = true }).ClickAsync();
            await Expect(page.Locator("[data-feed=live]")).ToBeVisibleAsync();
            await room.SendAsync(stream.Id, "hello from the journey");
            var line = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "hello from the journey" });
            await Expect(line).ToBeVisibleAsync();
            await line.GetByRole(AriaRole.Button, new() { Name = "Delete message" }).ClickAsync();
            await page.GetByRole(AriaRole.Dialog).GetByLabel("Reason").FillAsync("spam");
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
            await room.WaitForAsync("messageDeleted");
            await Expect(line).ToHaveCountAsync(0);
            await room.SendAsync(stream.Id, "one more");
            var second = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "one more" });
            await second.GetByRole(AriaRole.Button, new() { Name = "Time out" }).ClickAsync();
            await page.GetByRole(AriaRole.Dialog).GetByLabel("Minutes").FillAsync("10");
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
            await room.WaitForAsync("system", e => e.GetProperty("kind").GetString() == "moderation");

            // Ban: the viewer's session stops working; unban: they sign in again.
            await page.GotoAsync($"users/{viewer.User.Id}");
            await page.GetByRole(AriaRole.Button, new() { Name = "Ban", Exact = true }).ClickAsync();
            await page.GetByRole(AriaRole.Dialog).GetByLabel("Reason").FillAsync("harassment");
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
            await Expect(page.Locator("[data-status=banned]")).ToBeVisibleAsync();
            var refresh = await api.ClientWithToken(null).PostAsJsonAsync("/api/auth/refresh", new { refreshToken = viewer.RefreshToken });
            Assert.False(refresh.IsSuccessStatusCode, "the banned viewer's session still renews");
            await WaitUntilRefusedAsync(api.ClientWithToken(viewer.AccessToken), "/api/auth/me");
            await page.GetByRole(AriaRole.Button, new() { Name = "Unban" }).ClickAsync();
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
            await Expect(page.Locator("[data-status=active]")).ToBeVisibleAsync();
            var again = await api.ClientWithToken(null).PostAsJsonAsync("/api/auth/login", new { email = viewer.User.Email, password = Password });
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);

            // Streams: end the stream ffmpeg publishes.
            await page.GetByRole(AriaRole.Link, new() { Name = "Streams" }).ClickAsync();
            var card = page.Locator($"[data-stream-id='{stream.Id}']");
            await Expect(card).ToBeVisibleAsync();
            await Screens.CaptureAsync(page, "streams", output);
            await card.GetByRole(AriaRole.Button, new() { Name = "End stream" }).ClickAsync();
            await page.GetByRole(AriaRole.Dialog).GetByLabel("Reason").FillAsync("terms of service");
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
            await stack.Ingest.WaitForStatusAsync(stream.Id, "ended", TimeSpan.FromSeconds(10));

            // Withdrawals: approve the streamer's with a payout reference.
            await page.GetByRole(AriaRole.Link, new() { Name = "Withdrawals" }).ClickAsync();
            var pending = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.Locator("[data-withdrawal-status=pending]") });
            await pending.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
            await page.GetByRole(AriaRole.Dialog).GetByLabel("Payout reference").FillAsync("BANK-0042");
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
            await Expect(page.Locator("[data-withdrawal-status=approved]")).ToBeVisibleAsync();
            var mine = await api.ClientWithToken(streamer.AccessToken).GetFromJsonAsync<JsonElement>("/api/wallet/withdrawals");
            Assert.Contains("approved", mine.GetRawText());

            // Gifts: the Rose gets a picture of its own, which the public catalog hands the web app; then its emoji again.
            await page.GetByRole(AriaRole.Link, new() { Name = "Gifts" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Change artwork of Rose" }).ClickAsync();
            await page.GetByRole(AriaRole.Dialog).GetByLabel("Picture").SetInputFilesAsync(await PictureAsync());
            await Expect(page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Img, new() { Name = "The new picture" })).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Dialog).GetByLabel("Reason").FillAsync("spring artwork");
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Img, new() { Name = "Rose", Exact = true })).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("/api/gifts/artwork/[0-9a-f]{64}\\.webp$"));
            var catalog = await api.ClientWithToken(null).GetFromJsonAsync<JsonElement>("/api/payments/gifts");
            var artwork = catalog.EnumerateArray().Single(g => g.GetProperty("id").GetString() == "rose").GetProperty("artworkPath").GetString()!;
            Assert.Equal("image/webp", (await api.ClientWithToken(null).GetAsync(artwork)).Content.Headers.ContentType?.MediaType);
            await page.GetByRole(AriaRole.Button, new() { Name = "Remove artwork of Rose" }).ClickAsync();
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Img, new() { Name = "Rose", Exact = true })).ToHaveCountAsync(0);

            // The audit log lists the grant with its reason.
            await page.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
            await page.GetByLabel("Action").FillAsync("user.coins.adjust");
            await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Apology for the outage" })).ToBeVisibleAsync();
            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Export CSV" }).ClickAsync());
            var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
            Assert.StartsWith("id,createdAt,actorId,actorName,action", csv);
            Assert.Contains("Apology for the outage", csv);
            Assert.DoesNotContain("user.ban", csv);

            // The dashboard's figures are what this test did: everyone signed up today, two roses, ten beans, no purchases.
            await page.GetByRole(AriaRole.Link, new() { Name = "Dashboard" }).ClickAsync();
            var users = await api.ClientWithToken(adminToken).GetFromJsonAsync<JsonElement>("/api/admin/users?pageSize=1");
            await Expect(Figure(page, "signUps", "today")).ToHaveTextAsync(users.GetProperty("totalCount").GetInt64().ToString());
            await Expect(Figure(page, "giftsSent", "today")).ToHaveTextAsync("2");
            await Expect(Figure(page, "beansEarned", "today")).ToHaveTextAsync("10");
            await Expect(Figure(page, "coinsBought", "today")).ToHaveTextAsync("0");
            await Expect(page.Locator("[data-figure=liveStreams]")).ToHaveTextAsync("0");

            var problems = await Screens.CaptureEveryPageAsync(browser, stack.PanelUrl, ApiFactory.AdminEmail, ApiFactory.AdminPassword, viewer.User.Id, output);
            Assert.True(problems.Count == 0, "what a person would trip over:\n" + string.Join("\n", problems));
            await A_moderator_sees_no_money_pages(browser, moderator.User.Email);
            await A_moderator_whose_role_is_revoked_is_sent_back_to_sign_in(browser, moderator.User, adminToken);
        }
        catch (Exception)
        {
            output.WriteLine("panel log:\n" + stack.PanelLog);
            throw;
        }
    }

    private async Task A_viewer_is_refused(PanelBrowser browser, string email)
    {
        var page = await browser.NewPageAsync(stack.PanelUrl, PanelBrowser.Desktop);
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin"));
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("may not use the panel");
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "nio_admin");
        await page.GotoAsync("/users");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin"));
        await page.Context.CloseAsync();
    }

    private async Task A_moderator_sees_no_money_pages(PanelBrowser browser, string email)
    {
        var page = await SignInAsync(browser, stack.PanelUrl, email, Password);
        var navigation = page.GetByRole(AriaRole.Navigation, new() { Name = "Pages" });
        await Expect(navigation.GetByRole(AriaRole.Link, new() { Name = "Users" })).ToBeVisibleAsync();
        await Expect(navigation.GetByRole(AriaRole.Link, new() { Name = "Streams" })).ToBeVisibleAsync();
        await Expect(navigation.GetByRole(AriaRole.Link, new() { Name = "Chat" })).ToBeVisibleAsync();
        foreach (var money in new[] { "Payments", "Withdrawals", "Gifts", "Balances", "Audit log" })
        {
            await Expect(navigation.GetByRole(AriaRole.Link, new() { Name = money })).ToHaveCountAsync(0);
        }

        await page.GotoAsync("/withdrawals");
        await Expect(page.GetByText("Your role may not open this page.")).ToBeVisibleAsync();
        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Services" })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-figure]")).ToHaveCountAsync(0);

        // In Russian the same pages keep the moderator's place.
        await page.GetByRole(AriaRole.Link, new() { Name = "Русский" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Сводка", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Разделы" }).GetByRole(AriaRole.Link, new() { Name = "Пользователи" })).ToBeVisibleAsync();

        // Signing out ends the session: the cookie no longer opens a page.
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "nio_admin");
        await page.GetByRole(AriaRole.Button, new() { Name = "Выйти" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin"));
        using var replay = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        var request = new HttpRequestMessage(HttpMethod.Get, $"{stack.PanelUrl}/users");
        request.Headers.Add("Cookie", $"nio_admin={cookie.Value}");
        Assert.Contains("/signin", (await replay.SendAsync(request)).Headers.Location?.ToString());
        await page.Context.CloseAsync();
    }

    private async Task A_moderator_whose_role_is_revoked_is_sent_back_to_sign_in(PanelBrowser browser, UserView moderator, string adminToken)
    {
        var page = await SignInAsync(browser, stack.PanelUrl, moderator.Email, Password);
        (await stack.Api.ClientWithToken(adminToken).PutAsJsonAsync($"/api/admin/users/{moderator.Id}/roles", new { roles = Array.Empty<string>(), reason = "left the team" }))
            .EnsureSuccessStatusCode();

        await page.GetByRole(AriaRole.Link, new() { Name = "Users" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin"));
        await page.Context.CloseAsync();
    }

    internal static async Task<IPage> SignInAsync(PanelBrowser browser, string panelUrl, string email, string password, ViewportSize? size = null)
    {
        var page = await browser.NewPageAsync(panelUrl, size ?? PanelBrowser.Desktop);
        await page.GotoAsync("/signin");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "nio_admin");
        Assert.True(cookie.HttpOnly, "the panel's cookie is readable by scripts");
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        return page;
    }

    /// <summary>A PNG that FFmpeg draws, as an operator's picture file.</summary>
    private static async Task<string> PictureAsync()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("nio-panel-artwork-").FullName, "rose.png");
        var (exitCode, _, error) = await TestHost.RunAsync("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc=size=200x200", "-frames:v", "1", "-y", file]);
        Assert.True(exitCode == 0, error);
        return file;
    }

    private static ILocator Figure(IPage page, string figure, string period) => page.Locator($"[data-figure={figure}] [data-period='{period}']");

    private static async Task WaitUntilRefusedAsync(HttpClient client, string path)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while ((await client.GetAsync(path)).IsSuccessStatusCode)
        {
            Assert.True(DateTime.UtcNow < deadline, "the banned viewer's access token still works after 15 s");
            await Task.Delay(250);
        }
    }
}
