using System.Text.RegularExpressions;
using Nio.TestSupport;

namespace Nio.EndToEnd;

/// <summary>The whole media path with the S3 media store (a real s3rver): Transcoder writes to it, Origin serves from it.</summary>
public sealed partial class NioUpOnS3Tests : IClassFixture<S3rver>
{
    private readonly S3rver s3rver;

    public NioUpOnS3Tests(S3rver s3rver) => this.s3rver = s3rver;

    [Fact]
    public async Task A_published_stream_plays_from_the_origin_with_every_file_in_s3()
    {
        using var nio = await NioUp.StartAsync(new Dictionary<string, string>
        {
            ["NIO_STORAGE"] = "s3",
            ["NIO_S3_ENDPOINT"] = s3rver.Endpoint,
            ["NIO_S3_ACCESS_KEY"] = S3rver.AccessKey,
            ["NIO_S3_SECRET_KEY"] = S3rver.SecretKey,
            ["NIO_S3_BUCKET"] = "nio-" + Guid.NewGuid().ToString("N")[..12],
        });
        var created = await nio.CreateStreamAsync("s3@example.com", "On S3");
        var streamId = created.GetProperty("id").GetString()!;
        using var publisher = Publisher.Ffmpeg($"rtmp://127.0.0.1:{nio.RtmpPort}/live/{created.GetProperty("streamKey").GetString()}", seconds: 60);
        Assert.True(await nio.WaitForStatusAsync(streamId, "live", TimeSpan.FromSeconds(15)), "the stream did not go live: " + publisher.Output + nio.Log);

        using var player = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var playbackUrl = new Uri(created.GetProperty("playbackUrl").GetString()!);
        var variants = await RetryAsync(() => player.GetStringAsync(playbackUrl), "the multivariant playlist", nio);
        Assert.Equal(3, variants.Split("#EXT-X-STREAM-INF:").Length - 1);

        // A blocking request for a segment two ahead of the first, then its files: all read back from S3 by the Origin.
        var media = new Uri(playbackUrl, "240p/index.m3u8");
        var playlist = await WithLogAsync(() => player.GetStringAsync(new Uri(media, "index.m3u8?_HLS_msn=2")), nio);
        var init = await WithLogAsync(() => player.GetByteArrayAsync(new Uri(media, "init.mp4")), nio);
        var segment = SegmentUri().Match(playlist).Groups[1].Value;
        var part = PartUri().Match(playlist).Groups[1].Value;
        foreach (var file in new[] { segment, part })
        {
            var (codec, frames) = await MediaProbe.DecodeVideoAsync(init, await WithLogAsync(() => player.GetByteArrayAsync(new Uri(media, file)), nio));
            Assert.Equal("h264", codec);
            Assert.True(frames > 0, $"{file} decoded no frame");
        }

        // Nothing went to the local disk store.
        Assert.False(Directory.Exists(Path.Combine(nio.DataDir, "media")), "media was written to the disk store");
    }

    private static async Task<string> RetryAsync(Func<Task<string>> get, string what, NioUp nio)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                return await get();
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
            catch (HttpRequestException e)
            {
                throw new Xunit.Sdk.XunitException($"{what} never appeared ({e.Message}):\n{nio.Log}");
            }
        }
    }

    private static async Task<T> WithLogAsync<T>(Func<Task<T>> get, NioUp nio)
    {
        try
        {
            return await get();
        }
        catch (HttpRequestException e)
        {
            throw new Xunit.Sdk.XunitException($"{e.Message}\n{nio.Log}");
        }
    }

    [GeneratedRegex(@"^([0-9a-f]+-seg\d+\.m4s)$", RegexOptions.Multiline)]
    private static partial Regex SegmentUri();

    [GeneratedRegex(@"#EXT-X-PART:[^\n]*URI=""([0-9a-f]+-part\d+\.m4s)"",INDEPENDENT=YES")]
    private static partial Regex PartUri();
}
