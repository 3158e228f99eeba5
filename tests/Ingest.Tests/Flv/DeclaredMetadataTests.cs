using System.Buffers;
using Nio.Ingest.Rtmp;
using Nio.Ingest.Flv;
using Nio.Ingest.Media;

namespace Nio.Ingest.Tests.Flv;

/// <summary>
/// What a publisher declares in onMetaData: the picture height, which trims the ladder to what the source can fill, and
/// the frame rate, which the parts are cut to.
/// </summary>
public sealed class DeclaredMetadataTests
{
    [Fact]
    public void The_height_and_frame_rate_of_on_meta_data_are_read() =>
        Assert.Equal(new PublisherMetadata(1280, 720, 29.97), FlvTagReader.Declared(
            Script("onMetaData", new Dictionary<string, object?> { ["width"] = 1280.0, ["height"] = 720.0, ["framerate"] = 29.97 })));

    [Theory]
    [InlineData(0.0)]
    [InlineData(-480.0)]
    [InlineData(1e9)]
    [InlineData(double.NaN)]
    public void An_implausible_height_or_frame_rate_declares_nothing(double height) =>
        Assert.Equal(PublisherMetadata.None, FlvTagReader.Declared(Script("onMetaData", new Dictionary<string, object?> { ["height"] = height, ["framerate"] = height })));

    [Fact]
    public void No_metadata_values_that_are_no_numbers_or_malformed_bytes_declare_nothing()
    {
        Assert.Null(FlvTagReader.Declared([]));
        Assert.Equal(PublisherMetadata.None, FlvTagReader.Declared(Script("onMetaData", new Dictionary<string, object?> { ["height"] = "720", ["framerate"] = "30" })));
        Assert.Null(FlvTagReader.Declared(Script("onCuePoint", new Dictionary<string, object?> { ["height"] = 720.0, ["framerate"] = 30.0 })));
        Assert.Null(FlvTagReader.Declared([0x02, 0x00, 0x0A, (byte)'o']));
    }

    private static byte[] Script(params object?[] values)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Amf0.Write(buffer, values);
        return buffer.WrittenSpan.ToArray();
    }
}
