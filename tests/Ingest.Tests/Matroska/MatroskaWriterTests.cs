using Nio.Ingest.Matroska;
using Nio.TestSupport;

namespace Nio.Ingest.Tests.Matroska;

/// <summary>Matroska written from access units, as the Transcoder reads a stream with Opus audio: FFmpeg decodes all of it.</summary>
public sealed class MatroskaWriterTests
{
    [Fact]
    public async Task H264_and_opus_of_a_webrtc_publisher_written_as_matroska_decode_in_ffmpeg()
    {
        using var source = await WebRtcLikeSource.MakeAsync(seconds: 2);

        var decoded = await MediaProbe.DecodeAsync(source.Matroska());

        Assert.Equal([("video", "h264"), ("audio", "opus")], decoded.Select(s => (s.Type, s.Codec)));
        Assert.Equal(60, decoded[0].Frames);
        // 2 s of 20 ms frames; libopus may pad the last one.
        Assert.InRange(decoded[1].Frames, 99, 101);
    }

    [Fact]
    public void The_opus_header_is_rfc_7845s()
    {
        Assert.Equal(Convert.FromHexString("4F707573486561640102000080BB0000000000"), MatroskaWriter.OpusHead(2));
    }
}
