using System.Buffers;
using Nio.Ingest.Rtmp;
using Nio.Ingest.Buffers;
using Nio.Ingest.Streams;

namespace Nio.Ingest.Tests.Streams;

/// <summary>
/// What a publisher declares in onMetaData: the picture height, which trims the ladder to what the source can fill, and
/// the frame rate, which the parts are cut to.
/// </summary>
public sealed class DeclaredMetadataTests
{
    [Fact]
    public void The_height_and_frame_rate_of_on_meta_data_are_read() =>
        Assert.Equal((720, 29.97), LiveStream.Declared(
            Script("onMetaData", new Dictionary<string, object?> { ["width"] = 1280.0, ["height"] = 720.0, ["framerate"] = 29.97 })));

    [Theory]
    [InlineData(0.0)]
    [InlineData(-480.0)]
    [InlineData(1e9)]
    [InlineData(double.NaN)]
    public void An_implausible_height_or_frame_rate_declares_nothing(double height) =>
        Assert.Equal((null, null), LiveStream.Declared(Script("onMetaData", new Dictionary<string, object?> { ["height"] = height, ["framerate"] = height })));

    [Fact]
    public void No_metadata_values_that_are_no_numbers_or_malformed_bytes_declare_nothing()
    {
        Assert.Equal((null, null), LiveStream.Declared(null));
        Assert.Equal((null, null), LiveStream.Declared(Script("onMetaData", new Dictionary<string, object?> { ["height"] = "720", ["framerate"] = "30" })));
        Assert.Equal((null, null), LiveStream.Declared(Script("onCuePoint", new Dictionary<string, object?> { ["height"] = 720.0, ["framerate"] = 30.0 })));
        Assert.Equal((null, null), LiveStream.Declared(new MediaTag(MediaTag.ScriptType, 0, PooledBuffer.CopyOf([0x02, 0x00, 0x0A, (byte)'o']))));
    }

    private static MediaTag Script(params object?[] values)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Amf0.Write(buffer, values);
        return new MediaTag(MediaTag.ScriptType, 0, PooledBuffer.CopyOf(buffer.WrittenSpan));
    }
}
