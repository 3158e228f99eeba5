using System.Buffers;

namespace Nio.Transcoder.Thumbnails;

/// <summary>
/// Splits FFmpeg's image2pipe output, JPEG images one after another with nothing between them, into images by
/// walking their markers (ITU-T T.81 Annex B), so a byte pair that looks like EOI inside a segment cannot cut one.
/// </summary>
public static class JpegReader
{
    /// <summary>Far above any thumbnail; an image still open past this is not a thumbnail.</summary>
    public const int MaxImageBytes = 4 * 1024 * 1024;

    private const byte MarkerPrefix = 0xFF;
    private const byte StartOfImage = 0xD8;
    private const byte EndOfImage = 0xD9;
    private const byte StartOfScan = 0xDA;

    /// <summary>
    /// Reads one whole image (SOI through EOI). False: more bytes are needed and nothing was consumed.
    /// Throws <see cref="InvalidDataException"/> for anything that is not a JPEG image or is over <see cref="MaxImageBytes"/>.
    /// </summary>
    public static bool TryReadImage(ref SequenceReader<byte> reader, out ReadOnlySequence<byte> image)
    {
        image = default;
        var scan = reader;
        if (!TryReadMarker(ref scan, out var first))
        {
            return NeedMore(reader);
        }

        if (first != StartOfImage)
        {
            throw new InvalidDataException($"A JPEG image starts with SOI, not marker 0x{first:X2}.");
        }

        var marker = first;
        while (marker != EndOfImage)
        {
            var found = marker == StartOfScan ? TryReadMarkerAfterScan(ref scan, out marker) : TryReadMarker(ref scan, out marker);
            if (!found)
            {
                return NeedMore(reader);
            }

            // B.1.1.4: SOI, EOI, RSTn and TEM stand alone; every other marker is followed by a 16-bit length that
            // counts itself but not the marker.
            if (marker is StartOfImage)
            {
                throw new InvalidDataException("A JPEG image holds a second SOI.");
            }

            if (marker is EndOfImage or 0x01 or >= 0xD0 and <= 0xD7)
            {
                continue;
            }

            if (!scan.TryReadBigEndian(out short signedLength))
            {
                return NeedMore(reader);
            }

            var length = (ushort)signedLength;
            if (length < 2)
            {
                throw new InvalidDataException($"JPEG segment 0x{marker:X2} has the impossible length {length}.");
            }

            if (scan.Remaining < length - 2)
            {
                return NeedMore(reader);
            }

            scan.Advance(length - 2);
        }

        image = reader.Sequence.Slice(reader.Position, scan.Position);
        reader = scan;
        return true;
    }

    /// <summary>A marker: 0xFF, optional fill bytes 0xFF (B.1.1.2), then the marker code.</summary>
    private static bool TryReadMarker(ref SequenceReader<byte> scan, out byte marker)
    {
        marker = 0;
        if (!scan.TryRead(out var prefix))
        {
            return false;
        }

        if (prefix != MarkerPrefix)
        {
            throw new InvalidDataException($"Expected a JPEG marker, found 0x{prefix:X2}.");
        }

        do
        {
            if (!scan.TryRead(out marker))
            {
                return false;
            }
        }
        while (marker == MarkerPrefix);

        return true;
    }

    /// <summary>
    /// The marker that ends entropy-coded data. Inside it 0xFF is followed only by 0x00 (stuffing, B.1.1.5) or RSTn,
    /// so the first 0xFF followed by anything else is the next marker.
    /// </summary>
    private static bool TryReadMarkerAfterScan(ref SequenceReader<byte> scan, out byte marker)
    {
        marker = 0;
        while (scan.TryAdvanceTo(MarkerPrefix))
        {
            if (!scan.TryPeek(out var next))
            {
                return false;
            }

            if (next is 0x00 or >= 0xD0 and <= 0xD7)
            {
                scan.Advance(1);
                continue;
            }

            if (next != MarkerPrefix)
            {
                marker = next;
                scan.Advance(1);
                return true;
            }
        }

        return false;
    }

    private static bool NeedMore(SequenceReader<byte> reader) =>
        reader.Remaining <= MaxImageBytes
            ? false
            : throw new InvalidDataException($"A JPEG image runs past {MaxImageBytes} bytes.");
}
