using Nio.Fuzz.Engine;
using Nio.Ingest.Rtmp;

namespace Nio.Fuzz.Targets;

/// <summary>
/// AMF0 as the Ingest reads it from command and data messages: every value of a payload, and the length of the first
/// (how <c>@setDataFrame</c> is cut off a metadata message). Malformed input must end in <see cref="RtmpProtocolException"/>.
/// </summary>
public sealed class Amf0Target : FuzzTarget
{
    public override string Name => "amf0";

    public override int MaxInputLength => 8 * 1024;

    public override IReadOnlyList<byte[]> Dictionary { get; } =
    [
        .. Tokens("connect", "publish", "@setDataFrame", "onMetaData", "height", "app"),
        // Markers with the smallest valid bodies: number, boolean, string, object end, null, undefined, ECMA array,
        // strict array, date, long string; and lengths near the limits.
        [0x00, 0x40, 0x59, 0, 0, 0, 0, 0, 0], [0x01, 0x01], [0x02, 0x00, 0x01, 0x61], [0x00, 0x00, 0x09], [0x05], [0x06],
        [0x08, 0x00, 0x00, 0x00, 0x01], [0x0A, 0x00, 0x00, 0x10, 0x00], [0x0B, 0x42, 0x77, 0, 0, 0, 0, 0, 0, 0, 0],
        [0x0C, 0x00, 0x00, 0x00, 0x01, 0x61], [0x03], [0xFF, 0xFF], [0xFF, 0xFF, 0xFF, 0xFF], [0x7F, 0xF0, 0, 0, 0, 0, 0, 0],
    ];

    public override void Run(ReadOnlySpan<byte> input)
    {
        Amf0.ReadAll(input);
        if (!input.IsEmpty)
        {
            Amf0.LengthOfFirstValue(input);
        }
    }

    public override bool IsRejection(Exception exception) => exception is RtmpProtocolException;
}
