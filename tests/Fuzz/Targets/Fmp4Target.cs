using System.Buffers;
using Nio.Fuzz.Engine;
using Nio.TestSupport;
using Nio.Transcoder.Fmp4;

namespace Nio.Fuzz.Targets;

/// <summary>
/// The Transcoder's fMP4 reader on what would come out of FFmpeg's pipe: the init segment, then every fragment, as the
/// rendition packager reads them, with the bytes held in buffer segments of a size the input's length picks (a pipe hands
/// over whatever arrived). Malformed input must end in <see cref="Fmp4FormatException"/>.
/// </summary>
public sealed class Fmp4Target : FuzzTarget
{
    private static readonly int[] SegmentSizes = [int.MaxValue, 1, 3, 8, 100, 4096];

    public override string Name => "fmp4";

    public override IReadOnlyList<byte[]> Dictionary { get; } =
    [
        .. Tokens("ftyp", "moov", "trak", "tkhd", "mdia", "mdhd", "hdlr", "minf", "stbl", "stsd", "avc1", "avcC", "mp4a", "esds",
            "mvex", "trex", "moof", "traf", "tfhd", "tfdt", "trun", "mdat", "vide", "soun", "mfra"),
        [0, 0, 0, 1], [0, 0, 0, 8], [0, 0, 0, 0], [0xFF, 0xFF, 0xFF, 0xFF], [0x01, 0, 0, 0], [0, 0, 0x0F, 0x01], [0, 0, 0x02, 0x05],
        [0x00, 0x01, 0x00, 0x00], [0x05, 0x80, 0x80, 0x80],
    ];

    public override void Run(ReadOnlySpan<byte> input)
    {
        var reader = new SequenceReader<byte>(Segmented(input, SegmentSizes[input.Length % SegmentSizes.Length]));
        if (!Fmp4Reader.TryReadInitSegment(ref reader, out var init))
        {
            return;
        }

        _ = init.Codecs;
        while (Fmp4Reader.TryReadFragment(ref reader, init, out var fragment))
        {
            _ = fragment.IsIndependent;
        }
    }

    public override bool IsRejection(Exception exception) => exception is Fmp4FormatException;

    private static ReadOnlySequence<byte> Segmented(ReadOnlySpan<byte> bytes, int segmentSize) =>
        Sequences.Create([.. bytes.ToArray().Chunk(Math.Min(segmentSize, Math.Max(bytes.Length, 1)))]);
}
