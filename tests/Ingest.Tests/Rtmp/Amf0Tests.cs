using System.Buffers;
using Nio.Ingest.Rtmp;

namespace Nio.Ingest.Tests.Rtmp;

public sealed class Amf0Tests
{
    [Fact]
    public void Written_commands_read_back_as_the_same_values()
    {
        var buffer = new ArrayBufferWriter<byte>();
        Amf0.Write(buffer, "connect", 1.0, new Dictionary<string, object?> { ["app"] = "live", ["tcUrl"] = "rtmp://h/live", ["fpad"] = false }, null, Amf0Undefined.Value, "ключ 🔑");

        var values = Amf0.ReadAll(buffer.WrittenSpan);

        Assert.Equal("connect", values[0]);
        Assert.Equal(1.0, values[1]);
        var command = Assert.IsType<Dictionary<string, object?>>(values[2]);
        Assert.Equal(("live", "rtmp://h/live", false), (command["app"], command["tcUrl"], command["fpad"]));
        Assert.Null(values[3]);
        Assert.Same(Amf0Undefined.Value, values[4]);
        Assert.Equal("ключ 🔑", values[5]);
        Assert.Equal(1 + 2 + "connect".Length, Amf0.LengthOfFirstValue(buffer.WrittenSpan));
    }

    [Fact]
    public void Ecma_arrays_strict_arrays_long_strings_and_dates_are_read()
    {
        byte[] payload =
        [
            0x08, 0, 0, 0, 1, 0, 1, (byte)'w', 0x00, 0x40, 0x84, 0, 0, 0, 0, 0, 0, 0, 0, 0x09, // ecma array {w: 640}
            0x0A, 0, 0, 0, 2, 0x01, 1, 0x05,                                                     // strict array [true, null]
            0x0C, 0, 0, 0, 2, (byte)'o', (byte)'k',                                              // long string "ok"
            0x0B, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,                                                  // date 0 = 1970-01-01
        ];

        var values = Amf0.ReadAll(payload);

        Assert.Equal(640.0, Assert.IsType<Dictionary<string, object?>>(values[0])["w"]);
        Assert.Equal(new object?[] { true, null }, Assert.IsType<List<object?>>(values[1]));
        Assert.Equal("ok", values[2]);
        Assert.Equal(DateTime.UnixEpoch, values[3]);
    }

    [Theory]
    [InlineData(new byte[] { 0x02, 0x00, 0x10, (byte)'a' }, RtmpError.MalformedAmf)]          // string longer than the message
    [InlineData(new byte[] { 0x0C, 0xFF, 0xFF, 0xFF, 0xFF }, RtmpError.MalformedAmf)]          // 4 GiB long string
    [InlineData(new byte[] { 0x0A, 0x7F, 0xFF, 0xFF, 0xFF }, RtmpError.MalformedAmf)]          // strict array of 2^31 elements
    [InlineData(new byte[] { 0x00, 0x01 }, RtmpError.MalformedAmf)]                            // truncated number
    [InlineData(new byte[] { 0x03, 0x00, 0x01, (byte)'k' }, RtmpError.MalformedAmf)]           // object without end
    [InlineData(new byte[] { 0x11 }, RtmpError.MalformedAmf)]                                  // AMF3 switch marker
    [InlineData(new byte[] { 0x0B, 0x7F, 0xF0, 0, 0, 0, 0, 0, 0, 0, 0 }, RtmpError.MalformedAmf)] // date = +infinity
    public void Malformed_values_are_protocol_errors(byte[] payload, RtmpError expected)
    {
        var exception = Assert.Throws<RtmpProtocolException>(() => Amf0.ReadAll(payload));
        Assert.Equal(expected, exception.Error);
    }

    [Fact]
    public void Nesting_is_bounded()
    {
        var payload = new List<byte>();
        for (var i = 0; i < 1000; i++)
        {
            payload.AddRange([0x0A, 0, 0, 0, 1]); // strict array of one element, nested
        }

        payload.Add(0x05);

        Assert.Equal(RtmpError.AmfTooDeep, Assert.Throws<RtmpProtocolException>(() => Amf0.ReadAll(payload.ToArray())).Error);
    }

    [Fact]
    public void Random_bytes_only_ever_give_values_or_protocol_errors()
    {
        var random = new Random(20261123);
        for (var i = 0; i < 20_000; i++)
        {
            var payload = new byte[random.Next(1, 64)];
            random.NextBytes(payload);
            payload[0] = (byte)random.Next(0, 14); // mostly valid markers, so parsing goes deep
            try
            {
                Amf0.ReadAll(payload);
            }
            catch (RtmpProtocolException)
            {
                // The one allowed failure.
            }
        }
    }
}
