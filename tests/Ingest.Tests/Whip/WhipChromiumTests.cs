using System.Buffers.Binary;
using Microsoft.Extensions.DependencyInjection;
using Nio.Api.Streams;
using Nio.Ingest.Media;
using Nio.Ingest.Streams;
using Nio.Ingest.Tests.Infrastructure;
using Nio.TestSupport;
using Nio.WebRtc.Rtp.Opus;

namespace Nio.Ingest.Tests.Whip;

/// <summary>Debian's Chromium publishing camera and microphone over WHIP into the real Ingest and Api.</summary>
[Collection(IngestCollection.Name)]
public sealed class WhipChromiumTests(IngestFixture ingest)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Chromium_publishes_h264_and_opus_that_decode_with_a_keyframe_every_second_and_delete_ends_it()
    {
        var (_, stream) = await ingest.Api.CreateStreamAsync();
        await using var browser = await WhipClient.PublishAsync(ingest.WhipUrl, stream.StreamKey);
        Assert.Equal(201, browser.Started.GetProperty("status").GetInt32());
        Assert.Equal("connected", browser.Started.GetProperty("state").GetString());
        await ingest.WaitForStatusAsync(stream.Id, StreamStatus.Live, Soon);

        // What the Transcoder would read: H.264 from the first keyframe, with its SPS, and Opus, for three seconds.
        Assert.True(ingest.Services.GetRequiredService<MediaHub>().TryGetStream(stream.Id, out var live));
        using var subscription = live.Subscribe();
        var video = new List<(long Timestamp, bool Keyframe, byte[] Data, TrackFormat Format)>();
        var audio = new List<(long Timestamp, byte[] Data)>();
        using var collect = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (video.Count == 0 || video[^1].Timestamp - video[0].Timestamp < 3 * MediaClock.TicksPerSecond)
        {
            var unit = await subscription.Live.ReadAsync(collect.Token);
            if (unit.Kind == MediaKind.Video && (video.Count > 0 || unit.Keyframe))
            {
                video.Add((unit.Timestamp, unit.Keyframe, unit.Data.ToArray(), unit.Format));
            }
            else if (unit.Kind == MediaKind.Audio)
            {
                audio.Add((unit.Timestamp, unit.Data.ToArray()));
            }

            unit.Release();
        }

        var format = video[0].Format;
        Assert.Equal("avc", format.Codec);
        var sps = Assert.NotNull(format.Sps);
        Assert.True(sps.Width > 0 && sps.Height > 0, $"{sps.Width}x{sps.Height}");
        // Chromium sends a keyframe only when asked: these come from the Ingest's scheduled PLIs (one a second).
        Assert.True(video.Count(v => v.Keyframe) >= 2, $"{video.Count(v => v.Keyframe)} keyframes in 3 s of video");
        Assert.True(video.Zip(video.Skip(1)).All(pair => pair.Second.Timestamp > pair.First.Timestamp), "video timestamps do not increase");
        Assert.True(audio.Count >= 100, $"{audio.Count} Opus packets in 3 s");
        Assert.All(audio, a => Assert.True(OpusDepacketizer.TryGetDuration(a.Data, out _)));
        Assert.Equal("opus", live.Codecs?.Audio);

        // The pictures decode: the access units as an H.264 elementary stream, parameter sets first.
        var frames = await DecodedFramesAsync(format, video.Select(v => v.Data));
        Assert.True(frames >= video.Count - 2, $"{frames} of {video.Count} pictures decoded");

        var stats = await browser.CommandAsync("stats");
        Assert.Equal("video/H264", stats.GetProperty("codec").GetString());
        // The REMB the Ingest sends caps the browser's bandwidth estimate (on loopback it would climb far above).
        var available = stats.GetProperty("availableOutgoingBitrate").GetDouble();
        Assert.True(available is > 0 and <= IngestFixture.WebRtcMaxBitrateKbps * 1000, $"the browser may send {available / 1000:0} kbit/s");
        Assert.Equal(422, (await browser.CommandAsync("restart")).GetProperty("restart").GetInt32());

        Assert.Equal(200, (await browser.CommandAsync("delete")).GetProperty("deleted").GetInt32());
        Assert.Equal(StreamStatus.Offline, await ingest.StatusAsync(stream.Id));
    }

    [Fact]
    public async Task A_browser_that_vanishes_ends_its_broadcast_when_its_consent_expires()
    {
        var (_, stream) = await ingest.Api.CreateStreamAsync();
        await using var browser = await WhipClient.PublishAsync(ingest.WhipUrl, stream.StreamKey);
        Assert.Equal("connected", browser.Started.GetProperty("state").GetString());
        await ingest.WaitForStatusAsync(stream.Id, StreamStatus.Live, Soon);
        // Alive while the browser is: a session that ended for another reason would not make this test's point.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal("video/H264", (await browser.CommandAsync("stats")).GetProperty("codec").GetString());
        Assert.Equal(StreamStatus.Live, await ingest.StatusAsync(stream.Id));

        browser.Kill();

        await ingest.WaitForStatusAsync(stream.Id, StreamStatus.Offline, TimeSpan.FromSeconds(IngestFixture.ConsentTimeoutSeconds + 10));
    }

    [Fact]
    public async Task Ten_of_ten_whip_sessions_connect_and_end()
    {
        var (_, stream) = await ingest.Api.CreateStreamAsync();

        var attempts = await WhipClient.AttemptsAsync(ingest.WhipUrl, stream.StreamKey, 10);

        Assert.Equal(10, attempts.Count);
        Assert.All(attempts, attempt =>
        {
            Assert.Equal(201, attempt.GetProperty("status").GetInt32());
            Assert.Equal("connected", attempt.GetProperty("state").GetString());
            Assert.Equal(200, attempt.GetProperty("deleted").GetInt32());
        });
        Assert.Equal(StreamStatus.Offline, await ingest.StatusAsync(stream.Id));
    }

    /// <summary>Frames ffprobe decodes from the units written as Annex B, after the format's SPS and PPS.</summary>
    private static async Task<int> DecodedFramesAsync(TrackFormat format, IEnumerable<byte[]> units)
    {
        var annexB = new MemoryStream();
        var config = format.Config.Span;
        // AVCDecoderConfigurationRecord: one SPS (16-bit length at 6), then one PPS (16-bit length after it).
        var spsLength = BinaryPrimitives.ReadUInt16BigEndian(config[6..]);
        var pps = config[(8 + spsLength + 1)..];
        WriteNal(annexB, config.Slice(8, spsLength));
        WriteNal(annexB, pps.Slice(2, BinaryPrimitives.ReadUInt16BigEndian(pps)));
        foreach (var unit in units)
        {
            for (var offset = 0; offset + 4 <= unit.Length;)
            {
                var length = BinaryPrimitives.ReadInt32BigEndian(unit.AsSpan(offset));
                WriteNal(annexB, unit.AsSpan(offset + 4, length));
                offset += 4 + length;
            }
        }

        var file = Path.Combine(Path.GetTempPath(), $"nio-whip-{Guid.NewGuid():N}.h264");
        await File.WriteAllBytesAsync(file, annexB.ToArray());
        try
        {
            return (await FFMpegCore.FFProbe.GetFramesAsync(file)).Frames.Count;
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static void WriteNal(Stream output, ReadOnlySpan<byte> nal)
    {
        output.Write([0, 0, 0, 1]);
        output.Write(nal);
    }
}
