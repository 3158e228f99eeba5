using System.Text.Json;
using System.Text.RegularExpressions;
using Nio.TestSupport;
using Xunit.Abstractions;

namespace Nio.EndToEnd;

/// <summary>
/// The web app as two people use it, in Debian's Chromium against ./nio up (browser/journey.mjs): every step goes
/// through the pages, by the accessible names the interface promises. Screenshots of each page at phone and desktop
/// size land in TestResults/screenshots for a person to look at.
/// </summary>
public sealed class WebAppJourneyTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_streamer_and_a_phone_viewer_sign_up_go_live_find_watch_follow_chat_moderate_gift_buy_coins_switch_to_russian_and_replay_the_recording()
    {
        await using var stripe = new StripeStandIn();
        const string adminEmail = "operator@example.com", adminPassword = "operator-password-1";
        using var nio = await NioUp.StartAsync(new Dictionary<string, string>
        {
            ["NIO_ADMIN_EMAIL"] = adminEmail,
            ["NIO_ADMIN_PASSWORD"] = adminPassword,
            ["STRIPE_SECRET_KEY"] = StripeStandIn.SecretKey,
            ["STRIPE_WEBHOOK_SECRET"] = StripeStandIn.WebhookSecret,
            ["STRIPE_PUBLISHABLE_KEY"] = "pk_test_nio_stand_in",
            ["Payments__StripeApiBase"] = stripe.BaseUrl,
            // Access tokens that expire during the journey: the app must renew them without anyone noticing.
            ["Jwt__AccessTokenMinutes"] = "1",
        });
        stripe.WebhookUrl = $"http://127.0.0.1:{nio.ApiPort}/api/payments/webhook";
        var screenshots = Path.Combine(TestHost.RepositoryRoot(), "TestResults", "screenshots");

        var report = await RunJourneyAsync(new
        {
            baseUrl = $"http://127.0.0.1:{nio.ApiPort}",
            adminUrl = $"http://127.0.0.1:{nio.AdminPort}",
            adminEmail,
            adminPassword,
            stripeStandIn = stripe.BaseUrl,
            screenshots,
        });
        var text = report.ToString();
        output.WriteLine(text);
        Assert.True(report.GetProperty("error").ValueKind == JsonValueKind.Null, "the journey stopped: " + text + "\n" + nio.Log);

        var facts = report.GetProperty("facts");
        Assert.True(facts.GetProperty("keyHiddenAtFirst").GetBoolean(), "the stream key was shown before it was revealed");
        Assert.Equal($"rtmp://127.0.0.1:{nio.RtmpPort}/live", facts.GetProperty("server").GetString());
        Assert.True(facts.GetProperty("framesAdvancedSeconds").GetDouble() > 1.5, "the video did not play: " + text);
        Assert.Equal(640, facts.GetProperty("videoWidth").GetInt32());
        Assert.Contains("640×360", facts.GetProperty("health").GetString());
        // Go live from the browser: the fake camera at the chosen size, and the WHIP offer posted with the stream key.
        // Named by the browser (not "Device 1"): the page listed them after the camera was allowed.
        Assert.DoesNotMatch(@"^Device \d+$", facts.GetProperty("cameras")[0].GetString());
        Assert.DoesNotMatch(@"^Device \d+$", facts.GetProperty("microphones")[0].GetString());
        Assert.Equal("640×360", facts.GetProperty("previewSize").GetString());
        Assert.True(facts.GetProperty("browserStartOnFirstPhoneScreen").GetBoolean(), "on a phone Start streaming is below the fold");
        var whipRequests = facts.GetProperty("whipRequests").EnumerateArray().ToList();
        var whip = Assert.Single(whipRequests, r => r.GetProperty("method").GetString() == "POST");
        Assert.Equal($"http://127.0.0.1:{nio.IngestPort}/whip", whip.GetProperty("url").GetString());
        Assert.Equal("application/sdp", whip.GetProperty("contentType").GetString());
        Assert.True(facts.GetProperty("whipBearerIsStreamKey").GetBoolean(), "the offer was not sent with the stream key as its bearer token");
        var offer = whip.GetProperty("sdp").GetString()!;
        Assert.Matches(@"a=rtpmap:\d+ H264/90000", offer);
        Assert.DoesNotMatch(@"a=rtpmap:\d+ (VP8|VP9|AV1)/", offer);
        Assert.Matches(@"a=rtpmap:\d+ opus/48000/2", offer);
        Assert.Equal(2, offer.Split("a=sendonly").Length - 1);
        Assert.Contains("a=candidate:", offer);
        // The Ingest took the offer and the page went on air; Stop ended the session at the Location it was given.
        Assert.Equal(201, facts.GetProperty("whipAnswerStatus").GetInt32());
        Assert.Contains("Live from this browser", facts.GetProperty("browserLiveState").GetString());
        Assert.Contains(whipRequests, r => r.GetProperty("method").GetString() == "DELETE"
            && r.GetProperty("url").GetString()!.StartsWith($"http://127.0.0.1:{nio.IngestPort}/whip/", StringComparison.Ordinal));
        Assert.True(facts.GetProperty("composerInViewport").GetBoolean(), "on a phone the message box is below the fold");
        Assert.True(facts.GetProperty("giftBarInViewport").GetBoolean(), "on a phone the gifts are below the fold");
        Assert.Equal("90", facts.GetProperty("coinsAfterRose").GetString()!.Trim());
        Assert.Matches(@"^Boris \w+ sent Rose", facts.GetProperty("roseChatLine").GetString());
        // The artwork an operator gave the Rose, in the gift bar and in the room's animation.
        Assert.Equal("/emoji/1f490.svg", facts.GetProperty("roseArtwork").GetString());
        Assert.Equal("/emoji/1f490.svg", facts.GetProperty("roseShowArtwork").GetString());
        // The admin panel's preview plays the live stream (hls.js from the Origin).
        Assert.StartsWith("Live preview of Evening jazz", facts.GetProperty("panelPreviewLabel").GetString());
        Assert.True(facts.GetProperty("panelPreviewWidth").GetInt32() > 0, "the panel's preview decoded no video: " + text);
        Assert.Equal("hls.js", facts.GetProperty("panelPreviewPlayer").GetString());
        Assert.Equal("5", facts.GetProperty("streamerBeans").GetString());
        Assert.Equal("190", facts.GetProperty("coinsAfterPurchase").GetString());
        Assert.Equal("ru", facts.GetProperty("russianLang").GetString());
        Assert.Equal("190", facts.GetProperty("russianCoinsLabel").GetString());
        Assert.Equal("standalone", facts.GetProperty("manifest").GetProperty("display").GetString());
        Assert.Contains("512x512", facts.GetProperty("manifest").GetProperty("icons").EnumerateArray().Select(i => i.GetString()));
        Assert.Equal("activated", facts.GetProperty("serviceWorker").GetString());
        Assert.StartsWith("/api/avatars/", facts.GetProperty("avatar").GetProperty("src").GetString());
        Assert.Equal(256, facts.GetProperty("avatar").GetProperty("width").GetInt32());
        // The chat's system lines are told in Russian too: the stream's start and end, and the Rose.
        var systemLines = facts.GetProperty("russianSystemLines").EnumerateArray().Select(l => l.GetString()!.Trim()).ToList();
        Assert.Contains("Трансляция началась.", systemLines);
        Assert.Contains("Трансляция завершена.", systemLines);
        Assert.Contains(systemLines, l => Regex.IsMatch(l, @"^Boris \w+ дарит «Роза»"));
        Assert.Equal("Сообщение длиннее 500 символов.", facts.GetProperty("russianRefusal").GetString()!.Trim());
        Assert.Equal("Трансляция завершена, чат закрыт.", facts.GetProperty("russianClosedChat").GetString()!.Trim());
        Assert.True(facts.GetProperty("closedComposerDisabled").GetBoolean(), "the ended stream's message box is still enabled");
        var recording = facts.GetProperty("recording");
        Assert.True(recording.GetProperty("duration").GetDouble() > 5, "the recording is too short: " + recording);
        Assert.True(recording.GetProperty("currentTime").GetDouble() > 2, "seeking into the recording did not move: " + recording);
        Assert.True(report.GetProperty("axe").GetArrayLength() == 0, "axe found serious or critical violations: " + report.GetProperty("axe"));
        Assert.True(report.GetProperty("overflowing").GetArrayLength() == 0, "pages wider than the screen: " + report.GetProperty("overflowing"));
        Assert.True(report.GetProperty("consoleErrors").GetArrayLength() == 0, "the pages threw: " + report.GetProperty("consoleErrors"));
        Assert.All(report.GetProperty("screenshots").EnumerateArray(), s => Assert.True(File.Exists(s.GetString()), s.GetString()));
    }

    private static async Task<JsonElement> RunJourneyAsync(object config) =>
        JsonDocument.Parse(await BrowserScript.RunAsync("journey.mjs", [], new Dictionary<string, string> { ["JOURNEY"] = JsonSerializer.Serialize(config) }))
            .RootElement.Clone();
}
