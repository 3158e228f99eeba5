using System.Text.RegularExpressions;
using Nio.TestSupport;

namespace Nio.EndToEnd;

/// <summary>The README's browser flow on <c>./nio up</c>: Chromium publishes over WHIP and the stream plays as LL-HLS from the Origin.</summary>
public sealed partial class WhipTests
{
    [Fact]
    public async Task Chromium_goes_live_over_whip_and_the_origin_serves_h264_and_aac_that_decode_then_delete_ends_it()
    {
        using var nio = await NioUp.StartAsync();
        var created = await nio.CreateStreamAsync("whip@example.com", "From the browser");
        var streamId = created.GetProperty("id").GetString()!;

        await using var browser = await WhipClient.PublishAsync(created.GetProperty("whipUrl").GetString()!, created.GetProperty("streamKey").GetString()!);
        Assert.True(browser.Started.GetProperty("state").GetString() == "connected", browser.Started + nio.Log);
        Assert.True(await nio.WaitForStatusAsync(streamId, "live", TimeSpan.FromSeconds(15)), "the stream did not go live:\n" + nio.Log);

        // A player on the Origin: the source rendition's first whole segment, after its init segment, decodes as
        // the browser's H.264 passed through and its Opus made AAC.
        using var player = new HttpClient();
        var master = new Uri(created.GetProperty("playbackUrl").GetString()!);
        var media = new Uri(master, "source/index.m3u8");
        string? segment = null;
        string? multivariant = null;
        await Wait.UntilAsync(async () =>
        {
            var response = await player.GetAsync(media);
            segment = response.IsSuccessStatusCode ? Segment().Match(await response.Content.ReadAsStringAsync()) is { Success: true } m ? m.Value : null : null;
            // The multivariant playlist comes once every rendition has a measured segment: the source, passed
            // through, usually gets there before the encoded renditions.
            var listed = segment is null ? null : await player.GetAsync(master);
            multivariant = listed is { IsSuccessStatusCode: true } ? await listed.Content.ReadAsStringAsync() : null;
            return multivariant is not null;
        }, TimeSpan.FromSeconds(30), "no whole segment in the source playlist or no multivariant playlist:\n" + nio.Log);
        Assert.Matches(@"CODECS=""avc1\.[0-9a-fA-F]{6},mp4a\.40\.2""", multivariant);
        var init = await player.GetByteArrayAsync(new Uri(media, "init.mp4"));
        var decoded = await MediaProbe.DecodeAsync([.. init, .. await player.GetByteArrayAsync(new Uri(media, segment))]);
        Assert.Equal(["aac", "h264"], decoded.Select(s => s.Codec).Order(StringComparer.Ordinal));
        Assert.All(decoded, s => Assert.True(s.Frames > 0, $"no {s.Codec} frame decoded"));

        Assert.Equal(200, (await browser.CommandAsync("delete")).GetProperty("deleted").GetInt32());
        Assert.True(await nio.WaitForStatusAsync(streamId, "offline", TimeSpan.FromSeconds(5)), "DELETE did not end the broadcast:\n" + nio.Log);
    }

    [GeneratedRegex(@"^[0-9a-f]+-seg\d+\.m4s$", RegexOptions.Multiline)]
    private static partial Regex Segment();
}
