using System.Buffers;
using System.Buffers.Binary;
using Nio.Ingest.Buffers;
using Nio.Ingest.Flv;
using Nio.Ingest.Media;
using Nio.Ingest.Streams;

namespace Nio.Ingest.Tests.Flv;

/// <summary>
/// FLV tag bodies into access units and back: codec names read from the tag headers (they decide what the Transcoder may
/// pass through), timestamps on the 90 kHz clock, and FLV written from the units that carries the same tags.
/// </summary>
public sealed class FlvTagReaderTests
{
    // The 640×360 High 3.0 SPS x264 writes, in an AVCDecoderConfigurationRecord behind the FLV AVC header.
    private static readonly byte[] Sps = Convert.FromHexString("6764001eacd940a02ff97011000003000100000300320f162d96");
    private static readonly byte[] Pps = [0x68, 0xEB, 0xE3, 0xCB];
    private static readonly byte[] VideoHeader = [0x17, 0, 0, 0, 0, 1, 0x64, 0x00, 0x1E, 0xFF, 0xE1, 0, (byte)Sps.Length, .. Sps, 1, 0, 4, .. Pps];

    [Theory]
    [InlineData(new byte[] { 0x17, 0x00 }, "avc")]
    [InlineData(new byte[] { 0x27, 0x01 }, "avc")]
    [InlineData(new byte[] { 0x12 }, "h263")]
    [InlineData(new byte[] { 0x14 }, "vp6")]
    [InlineData(new byte[] { 0x90, (byte)'h', (byte)'v', (byte)'c', (byte)'1' }, "hvc1")]
    [InlineData(new byte[] { 0x90, 0x00 }, "unknown")]
    [InlineData(new byte[] { 0x1F }, "flv-video-15")]
    public void Video_codecs(byte[] payload, string codec) => Assert.Equal(codec, FlvTagReader.VideoCodec(payload));

    [Theory]
    [InlineData(new byte[] { 0xAF, 0x00 }, "aac")]
    [InlineData(new byte[] { 0x2F }, "mp3")]
    [InlineData(new byte[] { 0x9F, (byte)'O', (byte)'p', (byte)'u', (byte)'s' }, "Opus")]
    [InlineData(new byte[] { 0xB6 }, "speex")]
    public void Audio_codecs(byte[] payload, string codec) => Assert.Equal(codec, FlvTagReader.AudioCodec(payload));

    [Fact]
    public void H264_and_aac_become_access_units_on_the_90_khz_clock_with_their_formats_and_composition_offsets()
    {
        var stream = new LiveStream(Guid.NewGuid());
        using var subscription = stream.Subscribe();
        var reader = new FlvTagReader(stream);
        Read(reader, FlvTagReader.VideoType, 1000, VideoHeader);
        Read(reader, FlvTagReader.AudioType, 1000, [0xAF, 0x00, 0x11, 0x90]);
        // A keyframe shown 66 ms after it is decoded, then an AAC frame.
        Read(reader, FlvTagReader.VideoType, 1000, [0x17, 1, 0, 0, 66, 0, 0, 0, 1, 0x65]);
        Read(reader, FlvTagReader.AudioType, 1021, [0xAF, 1, 0x21, 0x10]);

        Assert.True(subscription.Live.TryRead(out var picture));
        Assert.True(subscription.Live.TryRead(out var sound));
        Assert.Equal((MediaKind.Video, 90_000L, 66 * 90, true), (picture.Kind, picture.Timestamp, picture.CompositionOffset, picture.Keyframe));
        Assert.Equal(new byte[] { 0, 0, 0, 1, 0x65 }, picture.Data.ToArray());
        Assert.Equal(("avc", "High", 640, 360), (picture.Format.Codec, picture.Format.Sps!.Value.Profile, picture.Format.Sps.Value.Width, picture.Format.Sps.Value.Height));
        Assert.Equal(VideoHeader[5..], picture.Format.Config.ToArray());
        Assert.Equal((MediaKind.Audio, 1021L * 90), (sound.Kind, sound.Timestamp));
        Assert.Equal(("aac", "AAC-LC", 48000, 2), (sound.Format.Codec, sound.Format.Audio!.Value.Codec, sound.Format.Audio.Value.SampleRate, sound.Format.Audio.Value.Channels));
        Assert.Equal(new byte[] { 0x21, 0x10 }, sound.Data.ToArray());
        Assert.Equal(new Nio.Shared.Media.SourceCodecs("avc", "aac"), stream.Codecs);
        picture.Release();
        sound.Release();
    }

    [Fact]
    public void Flv_written_from_the_access_units_carries_the_publishers_tags_across_a_timestamp_wrap()
    {
        (byte Type, uint Timestamp, byte[] Body)[] tags =
        [
            (FlvTagReader.VideoType, 0xFFFF_FF00, VideoHeader),
            (FlvTagReader.VideoType, 0xFFFF_FF00, [0x17, 1, 0, 0, 80, 0, 0, 0, 2, 0x65, 0x88]),
            (FlvTagReader.AudioType, 0xFFFF_FF17, [0xAF, 0x00, 0x12, 0x10]),
            (FlvTagReader.AudioType, 0xFFFF_FF17, [0xAF, 1, 0x21, 0x00, 0x49]),
            (FlvTagReader.VideoType, 0xFFFF_FF21, [0x27, 1, 0xFF, 0xFF, 0xDE, 0, 0, 0, 2, 0x41, 0x9A]),
            // Past 2^32 ms the timestamps wrap, as the publisher's did.
            (FlvTagReader.VideoType, 0x0000_0042, [0x27, 1, 0, 0, 0, 0, 0, 0, 2, 0x41, 0x9B]),
            (FlvTagReader.AudioType, 0x0000_0043, [0xAF, 1, 0x21, 0x00, 0x4A]),
        ];
        var stream = new LiveStream(Guid.NewGuid());
        using var subscription = stream.Subscribe();
        var reader = new FlvTagReader(stream);
        foreach (var (type, timestamp, body) in tags)
        {
            Read(reader, type, timestamp, body);
        }

        var output = new ArrayBufferWriter<byte>();
        var writer = new FlvWriter(output);
        while (subscription.Live.TryRead(out var unit))
        {
            writer.Write(unit);
            unit.Release();
        }

        Assert.Equal(tags.Select(t => (t.Type, t.Timestamp, Convert.ToHexString(t.Body))), Tags(output.WrittenSpan));
    }

    [Fact]
    public void Codecs_nio_does_not_read_travel_as_their_flv_bodies()
    {
        var stream = new LiveStream(Guid.NewGuid());
        using var subscription = stream.Subscribe();
        var reader = new FlvTagReader(stream);
        byte[] sorenson = [0x12, 0x00, 0x00, 0x84, 0x00];
        byte[] mp3 = [0x2F, 0xFF, 0xFB, 0x90];
        Read(reader, FlvTagReader.AudioType, 0, mp3);
        Read(reader, FlvTagReader.VideoType, 0, sorenson);

        var output = new ArrayBufferWriter<byte>();
        var writer = new FlvWriter(output);
        while (subscription.Live.TryRead(out var unit))
        {
            Assert.True(unit.Format.IsFlvBody);
            writer.Write(unit);
            unit.Release();
        }

        Assert.Equal([(FlvTagReader.AudioType, 0u, Convert.ToHexString(mp3)), (FlvTagReader.VideoType, 0u, Convert.ToHexString(sorenson))], Tags(output.WrittenSpan));
        Assert.Equal(new Nio.Shared.Media.SourceCodecs("h263", "mp3"), stream.Codecs);
    }

    [Fact]
    public void A_record_built_from_in_band_parameter_sets_reads_like_a_publishers()
    {
        var format = TrackFormat.Avc(Sps, Pps);

        Assert.Null(format.ConfigError);
        Assert.Equal(TrackFormat.Avc(VideoHeader.AsSpan(5)).Sps, format.Sps);
        Assert.Equal(VideoHeader[5..], format.Config.ToArray());
    }

    private static void Read(FlvTagReader reader, byte type, uint timestamp, byte[] body)
    {
        var buffer = PooledBuffer.CopyOf(body);
        reader.Read(type, timestamp, buffer);
        buffer.Release();
    }

    /// <summary>The tags of FLV without its file header (FLV spec v10 §E.4.1).</summary>
    private static List<(byte Type, uint Timestamp, string Body)> Tags(ReadOnlySpan<byte> flv)
    {
        var tags = new List<(byte, uint, string)>();
        while (flv.Length > 0)
        {
            var size = (int)(BinaryPrimitives.ReadUInt32BigEndian(flv) & 0xFFFFFF);
            var timestamp = (uint)(flv[4] << 16 | flv[5] << 8 | flv[6] | flv[7] << 24);
            tags.Add((flv[0], timestamp, Convert.ToHexString(flv.Slice(11, size))));
            Assert.Equal((uint)(11 + size), BinaryPrimitives.ReadUInt32BigEndian(flv[(11 + size)..]));
            flv = flv[(11 + size + 4)..];
        }

        return tags;
    }
}
