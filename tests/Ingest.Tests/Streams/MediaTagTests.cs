using Nio.Ingest.Buffers;
using Nio.Ingest.Streams;

namespace Nio.Ingest.Tests.Streams;

/// <summary>Codec names read from FLV tag headers, which decide what the Transcoder may pass through.</summary>
public sealed class MediaTagTests
{
    [Theory]
    [InlineData(new byte[] { 0x17, 0x00 }, "avc")]
    [InlineData(new byte[] { 0x27, 0x01 }, "avc")]
    [InlineData(new byte[] { 0x12 }, "h263")]
    [InlineData(new byte[] { 0x14 }, "vp6")]
    [InlineData(new byte[] { 0x90, (byte)'h', (byte)'v', (byte)'c', (byte)'1' }, "hvc1")]
    [InlineData(new byte[] { 0x90, 0x00 }, "unknown")]
    [InlineData(new byte[] { 0x1F }, "flv-video-15")]
    public void Video_codecs(byte[] payload, string codec) => Assert.Equal(codec, new MediaTag(MediaTag.VideoType, 0, PooledBuffer.CopyOf(payload)).Codec);

    [Theory]
    [InlineData(new byte[] { 0xAF, 0x00 }, "aac")]
    [InlineData(new byte[] { 0x2F }, "mp3")]
    [InlineData(new byte[] { 0x9F, (byte)'O', (byte)'p', (byte)'u', (byte)'s' }, "Opus")]
    [InlineData(new byte[] { 0xB6 }, "speex")]
    public void Audio_codecs(byte[] payload, string codec) => Assert.Equal(codec, new MediaTag(MediaTag.AudioType, 0, PooledBuffer.CopyOf(payload)).Codec);

    [Fact]
    public void Script_and_empty_tags_have_none()
    {
        Assert.Null(new MediaTag(MediaTag.ScriptType, 0, PooledBuffer.CopyOf([0x02])).Codec);
        Assert.Null(new MediaTag(MediaTag.VideoType, 0, PooledBuffer.CopyOf([])).Codec);
    }
}
