using System.Buffers;
using Nio.Ingest.Rtmp;
using Nio.Ingest.Buffers;
using Nio.Ingest.Streams;

namespace Nio.Ingest.Tests.Streams;

/// <summary>The picture height a publisher declares in onMetaData, which trims the ladder to what the source can fill.</summary>
public sealed class DeclaredHeightTests
{
    [Fact]
    public void The_height_of_on_meta_data_is_read() =>
        Assert.Equal(720, LiveStream.DeclaredHeight(Script("onMetaData", new Dictionary<string, object?> { ["width"] = 1280.0, ["height"] = 720.0 })));

    [Theory]
    [InlineData(0.0)]
    [InlineData(-480.0)]
    [InlineData(1e9)]
    [InlineData(double.NaN)]
    public void An_implausible_height_declares_nothing(double height) =>
        Assert.Null(LiveStream.DeclaredHeight(Script("onMetaData", new Dictionary<string, object?> { ["height"] = height })));

    [Fact]
    public void No_metadata_a_height_that_is_no_number_or_malformed_bytes_declare_nothing()
    {
        Assert.Null(LiveStream.DeclaredHeight(null));
        Assert.Null(LiveStream.DeclaredHeight(Script("onMetaData", new Dictionary<string, object?> { ["height"] = "720" })));
        Assert.Null(LiveStream.DeclaredHeight(Script("onCuePoint", new Dictionary<string, object?> { ["height"] = 720.0 })));
        Assert.Null(LiveStream.DeclaredHeight(new MediaTag(MediaTag.ScriptType, 0, PooledBuffer.CopyOf([0x02, 0x00, 0x0A, (byte)'o']))));
    }

    private static MediaTag Script(params object?[] values)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Amf0.Write(buffer, values);
        return new MediaTag(MediaTag.ScriptType, 0, PooledBuffer.CopyOf(buffer.WrittenSpan));
    }
}
