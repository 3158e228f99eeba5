using Nio.Ingest.Buffers;
using Nio.Ingest.Flv;
using Nio.Ingest.Media;
using Nio.Ingest.Streams;

namespace Nio.Ingest.Tests.Streams;

/// <summary>A stream as FFmpeg sends it over RTMP (sequence headers, then 25 fps video and 48 kHz AAC), measured access unit by access unit.</summary>
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
        var flv = new MeteredFlv(meter);
        for (uint frame = 100; frame < 175; frame++)
        {
            flv.Read(FlvTagReader.VideoType, frame * 40, [0x27, 1, 0, 0, 0], 0);
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
        var flv = new MeteredFlv(meter);
        byte[] broken = [.. VideoHeader];
        broken[5] = 2; // configurationVersion
        flv.Read(FlvTagReader.VideoType, 0, broken, 0);
        flv.Read(FlvTagReader.VideoType, 0, [0x17, 1, 0, 0, 0], 0);

        var video = meter.Snapshot(0).Video!;
        Assert.Equal(("H.264", null, null), (video.Codec, video.Profile, video.Width));
        Assert.Equal(Nio.Ingest.Codecs.CodecConfigError.UnsupportedVersion, meter.LastConfigError!.Error);
    }

    [Fact]
    public void Audio_without_a_config_is_described_by_its_flv_header()
    {
        var meter = new StreamHealthMeter();
        new MeteredFlv(meter).Read(FlvTagReader.AudioType, 0, [0x2F, 0xFF, 0xFB], 0);

        Assert.Equal(("MP3", 44100, 2), (meter.Snapshot(0).Audio!.Codec, meter.Snapshot(0).Audio!.SampleRate, meter.Snapshot(0).Audio!.Channels));
    }

    [Fact]
    public void Measuring_an_access_unit_allocates_nothing()
    {
        var meter = new StreamHealthMeter();
        Feed(meter, seconds: 2, keyframeEvery: 50, videoFrameBytes: 100, audioFrameBytes: 10);
        var video = TrackFormat.Avc(VideoHeader.AsSpan(5));
        var audio = TrackFormat.Aac(AudioHeader.AsSpan(2));
        var units = Enumerable.Range(0, 1000)
            .Select(i => new AccessUnit(i % 2 == 0 ? video : audio, MediaClock.FromMilliseconds(2000 + i * 20), 0, i % 100 == 0,
                PooledBuffer.CopyOf(i % 2 == 0 ? [0x65, 1, 0] : [0x21]), 0))
            .ToArray();
        meter.Observe(units[0], 0);

        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var unit in units)
        {
            meter.Observe(unit, 1);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>
    /// Sequence headers, then interleaved video (25 fps) and AAC frames (1024 samples at 48 kHz) of the given sizes
    /// (behind their FLV headers); returns the clock at the last tag.
    /// </summary>
    private static long Feed(StreamHealthMeter meter, int seconds, int keyframeEvery, int videoFrameBytes, int audioFrameBytes)
    {
        var flv = new MeteredFlv(meter);
        flv.Read(FlvTagReader.VideoType, 0, VideoHeader, 0);
        if (audioFrameBytes > 0)
        {
            flv.Read(FlvTagReader.AudioType, 0, AudioHeader, 0);
        }

        var audioFrame = 0;
        long clock = 0;
        for (var frame = 0; frame < seconds * 25; frame++)
        {
            var timestamp = (uint)(frame * 40);
            var video = new byte[5 + videoFrameBytes];
            video[0] = frame % keyframeEvery == 0 ? (byte)0x17 : (byte)0x27;
            video[1] = 1;
            clock = timestamp;
            flv.Read(FlvTagReader.VideoType, timestamp, video, clock);
            while (audioFrameBytes > 0 && audioFrame * 1024 * 1000L / 48000 <= timestamp)
            {
                var audio = new byte[2 + audioFrameBytes];
                audio[0] = 0xAF;
                audio[1] = 1;
                flv.Read(FlvTagReader.AudioType, (uint)(audioFrame * 1024 * 1000L / 48000), audio, clock);
                audioFrame++;
            }
        }

        return clock;
    }

    /// <summary>FLV tag bodies read as the RTMP session reads them, into the meter as the live stream feeds it.</summary>
    private sealed class MeteredFlv : IMediaSink
    {
        private readonly StreamHealthMeter meter;
        private readonly FlvTagReader reader;
        private long clock;

        public MeteredFlv(StreamHealthMeter meter)
        {
            this.meter = meter;
            reader = new FlvTagReader(this);
        }

        public void Read(byte type, uint timestamp, byte[] body, long now)
        {
            clock = now;
            var buffer = PooledBuffer.CopyOf(body);
            reader.Read(type, timestamp, buffer);
            buffer.Release();
        }

        public void SetFormat(TrackFormat format) => meter.ObserveFormat(format);

        public void Write(AccessUnit unit) => meter.Observe(unit, clock);

        public void Declare(PublisherMetadata metadata)
        {
        }
    }
}
