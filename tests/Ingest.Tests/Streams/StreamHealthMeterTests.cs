using Nio.Ingest.Buffers;
using Nio.Ingest.Streams;

namespace Nio.Ingest.Tests.Streams;

/// <summary>A stream as FFmpeg sends it (sequence headers, then 25 fps video and 48 kHz AAC), measured tag by tag.</summary>
public sealed class StreamHealthMeterTests
{
    // The 640×360 High 3.0 SPS x264 writes, in an AVCDecoderConfigurationRecord behind the FLV AVC header.
    private static readonly byte[] Sps = Convert.FromHexString("6764001eacd940a02ff97011000003000100000300320f162d96");
    private static readonly byte[] VideoHeader = [0x17, 0, 0, 0, 0, 1, 0x64, 0x00, 0x1E, 0xFF, 0xE1, 0, (byte)Sps.Length, .. Sps, 1, 0, 4, 0x68, 0xEB, 0xE3, 0xCB];
    // AAC, AudioSpecificConfig: LC, 48 kHz, stereo.
    private static readonly byte[] AudioHeader = [0xAF, 0x00, 0x11, 0x90];

    [Fact]
    public void Codecs_size_frame_rate_bitrates_and_keyframe_interval_of_a_two_second_gop_stream()
    {
        var meter = new StreamHealthMeter();
        var end = Feed(meter, seconds: 10, keyframeEvery: 50, videoFrameBytes: 4000, audioFrameBytes: 256);

        var report = meter.Snapshot(end + 1500);

        Assert.Equal(1.5, report.SecondsSinceLastMedia);
        var video = report.Video!;
        Assert.Equal(("H.264", "High", "3.0", 640, 360), (video.Codec, video.Profile, video.Level, video.Width, video.Height));
        Assert.Equal(25, video.FrameRate!.Value, precision: 1);
        Assert.Equal(800, video.BitrateKbps!.Value, precision: 0);
        Assert.Equal(2, video.KeyframeIntervalSeconds);
        var audio = report.Audio!;
        Assert.Equal(("AAC-LC", 48000, 2), (audio.Codec, audio.SampleRate, audio.Channels));
        // 256 bytes every 1024 samples at 48 kHz: 256 × 8 × 46.875 = 96 kbps.
        Assert.Equal(96, audio.BitrateKbps!.Value, precision: 0);
    }

    [Fact]
    public void A_five_second_gop_is_measured_as_such()
    {
        var meter = new StreamHealthMeter();
        var end = Feed(meter, seconds: 12, keyframeEvery: 125, videoFrameBytes: 4000, audioFrameBytes: 256);

        Assert.Equal(5, meter.Snapshot(end).Video!.KeyframeIntervalSeconds);
    }

    [Fact]
    public void Keyframes_that_stop_coming_show_as_a_growing_interval()
    {
        var meter = new StreamHealthMeter();
        Feed(meter, seconds: 4, keyframeEvery: 50, videoFrameBytes: 4000, audioFrameBytes: 0);
        // Last keyframe at 2.0 s (frames 0, 50); three more seconds of inter frames.
        for (uint frame = 100; frame < 175; frame++)
        {
            Write(meter, new MediaTag(MediaTag.VideoType, frame * 40, PooledBuffer.CopyOf([0x27, 1, 0, 0, 0])), 0);
        }

        Assert.Equal(4.96, meter.Snapshot(0).Video!.KeyframeIntervalSeconds);
    }

    [Fact]
    public void Before_any_media_nothing_is_known()
    {
        var report = new StreamHealthMeter().Snapshot(1000);

        Assert.Equal((null, null, null), (report.SecondsSinceLastMedia, report.Video, report.Audio));
    }

    [Fact]
    public void A_broken_sequence_header_leaves_the_details_unknown_and_says_why()
    {
        var meter = new StreamHealthMeter();
        byte[] broken = [.. VideoHeader];
        broken[5] = 2; // configurationVersion
        Write(meter, new MediaTag(MediaTag.VideoType, 0, PooledBuffer.CopyOf(broken)), 0);
        Write(meter, new MediaTag(MediaTag.VideoType, 0, PooledBuffer.CopyOf([0x17, 1, 0, 0, 0])), 0);

        var video = meter.Snapshot(0).Video!;
        Assert.Equal(("H.264", null, null), (video.Codec, video.Profile, video.Width));
        Assert.Equal(Nio.Ingest.Codecs.CodecConfigError.UnsupportedVersion, meter.LastConfigError!.Error);
    }

    [Fact]
    public void Audio_without_a_config_is_described_by_its_flv_header()
    {
        var meter = new StreamHealthMeter();
        Write(meter, new MediaTag(MediaTag.AudioType, 0, PooledBuffer.CopyOf([0x2F, 0xFF, 0xFB])), 0);

        Assert.Equal(("MP3", 44100, 2), (meter.Snapshot(0).Audio!.Codec, meter.Snapshot(0).Audio!.SampleRate, meter.Snapshot(0).Audio!.Channels));
    }

    [Fact]
    public void Measuring_a_media_tag_allocates_nothing()
    {
        var meter = new StreamHealthMeter();
        Feed(meter, seconds: 2, keyframeEvery: 50, videoFrameBytes: 100, audioFrameBytes: 10);
        var tags = Enumerable.Range(0, 1000)
            .Select(i => new MediaTag(i % 2 == 0 ? MediaTag.VideoType : MediaTag.AudioType, (uint)(2000 + i * 20),
                PooledBuffer.CopyOf(i % 2 == 0 ? (i % 100 == 0 ? [0x17, 1, 0, 0, 0] : [0x27, 1, 0, 0, 0]) : [0xAF, 1, 0x21])))
            .ToArray();
        meter.Observe(tags[0], 0);

        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var tag in tags)
        {
            meter.Observe(tag, 1);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>Sequence headers, then interleaved video (25 fps) and AAC frames (1024 samples at 48 kHz); returns the clock at the last tag.</summary>
    private static long Feed(StreamHealthMeter meter, int seconds, int keyframeEvery, int videoFrameBytes, int audioFrameBytes)
    {
        Write(meter, new MediaTag(MediaTag.VideoType, 0, PooledBuffer.CopyOf(VideoHeader)), 0);
        if (audioFrameBytes > 0)
        {
            Write(meter, new MediaTag(MediaTag.AudioType, 0, PooledBuffer.CopyOf(AudioHeader)), 0);
        }

        var audioFrame = 0;
        long clock = 0;
        for (var frame = 0; frame < seconds * 25; frame++)
        {
            var timestamp = (uint)(frame * 40);
            var video = new byte[videoFrameBytes];
            video[0] = frame % keyframeEvery == 0 ? (byte)0x17 : (byte)0x27;
            video[1] = 1;
            clock = timestamp;
            Write(meter, new MediaTag(MediaTag.VideoType, timestamp, PooledBuffer.CopyOf(video)), clock);
            while (audioFrameBytes > 0 && audioFrame * 1024 * 1000L / 48000 <= timestamp)
            {
                var audio = new byte[audioFrameBytes];
                audio[0] = 0xAF;
                audio[1] = 1;
                Write(meter, new MediaTag(MediaTag.AudioType, (uint)(audioFrame * 1024 * 1000L / 48000), PooledBuffer.CopyOf(audio)), clock);
                audioFrame++;
            }
        }

        return clock;
    }

    private static void Write(StreamHealthMeter meter, MediaTag tag, long clock)
    {
        meter.Observe(tag, clock);
        tag.Release();
    }
}
