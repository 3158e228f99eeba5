using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace Nio.Transcoder.Fmp4;

/// <summary>
/// Reads fragmented MP4 (CMAF) as FFmpeg writes it to a pipe: one init segment, then <c>moof</c> + <c>mdat</c>
/// fragments. Both methods return false when the input holds less than the next whole unit and then consume nothing;
/// they throw <see cref="Fmp4FormatException"/> as soon as a box header is visible that cannot be right, so a lying
/// size never makes the caller buffer more than <see cref="MaxBoxSize"/>. Bytes left when the pipe ends (FFmpeg's
/// <c>mfra</c> index) are not media and can be dropped.
/// </summary>
public static class Fmp4Reader
{
    /// <summary>The largest top-level box, and the largest init segment or fragment, NIO accepts.</summary>
    public const long MaxBoxSize = 64 * 1024 * 1024;

    /// <summary>Reads the boxes up to and including <c>moov</c>.</summary>
    public static bool TryReadInitSegment(ref SequenceReader<byte> reader, [NotNullWhen(true)] out InitSegment? init)
    {
        if (!TryFrame(reader, BoxType.Moov, out var length, out var moovStart))
        {
            init = null;
            return false;
        }

        var bytes = reader.UnreadSequence.Slice(0, length).ToArray();
        init = MoovParser.Parse(bytes, moovStart);
        reader.Advance(length);
        return true;
    }

    /// <summary>Reads the boxes up to and including the <c>mdat</c> that follows the next <c>moof</c>.</summary>
    public static bool TryReadFragment(ref SequenceReader<byte> reader, InitSegment init, [NotNullWhen(true)] out MediaFragment? fragment)
    {
        if (!TryFrame(reader, BoxType.Moof, out var length, out var moofStart))
        {
            fragment = null;
            return false;
        }

        // The fragment is kept (stored, served from memory at the live edge), so it gets its own exact-size array
        // rather than a pooled buffer whose lifetime would leak into every holder.
        var bytes = reader.UnreadSequence.Slice(0, length).ToArray();
        fragment = MoofParser.Parse(bytes, moofStart, init);
        reader.Advance(length);
        return true;
    }

    /// <summary>
    /// Finds where the next unit ends without consuming: the boxes up to <paramref name="anchor"/> (<c>moov</c>), or up
    /// to the <c>mdat</c> right after <paramref name="anchor"/> (<c>moof</c>). Unknown boxes before the anchor belong to the unit.
    /// </summary>
    private static bool TryFrame(SequenceReader<byte> scan, uint anchor, out long length, out long anchorStart)
    {
        var sawAnchor = false;
        length = 0;
        anchorStart = 0;
        while (true)
        {
            if (!TryReadBoxHeader(ref scan, out var type, out var size, out var headerLength))
            {
                return false;
            }

            if (sawAnchor && type != BoxType.Mdat)
            {
                throw new Fmp4FormatException(Fmp4Error.UnexpectedBox, $"'{BoxType.Name(type)}' where the 'mdat' of a 'moof' belongs");
            }

            var belongsToAnotherUnit = anchor == BoxType.Moov
                ? type is BoxType.Moof or BoxType.Mdat
                : type is BoxType.Ftyp or BoxType.Moov or BoxType.Mdat;
            if (!sawAnchor && belongsToAnotherUnit)
            {
                throw new Fmp4FormatException(Fmp4Error.UnexpectedBox, $"'{BoxType.Name(type)}' before '{BoxType.Name(anchor)}'");
            }

            if (length + size > MaxBoxSize)
            {
                throw new Fmp4FormatException(Fmp4Error.BoxTooLarge, $"'{BoxType.Name(type)}' makes the unit exceed {MaxBoxSize} bytes");
            }

            if (scan.Remaining < size - headerLength)
            {
                return false;
            }

            scan.Advance(size - headerLength);
            if (sawAnchor)
            {
                length += size;
                return true;
            }

            if (type == anchor)
            {
                anchorStart = length;
                sawAnchor = true;
            }

            length += size;
            if (sawAnchor && anchor == BoxType.Moov)
            {
                return true;
            }
        }
    }

    /// <summary>
    /// Reads one top-level box header (ISO/IEC 14496-12 §4.2): 32-bit size, type, and a 64-bit size when size is 1.
    /// Size 0 ("to the end of the file") has no meaning on a pipe and is rejected along with any size below the header.
    /// </summary>
    private static bool TryReadBoxHeader(ref SequenceReader<byte> scan, out uint type, out long size, out int headerLength)
    {
        type = 0;
        size = 0;
        headerLength = 8;
        if (!scan.TryReadBigEndian(out int size32) || !scan.TryReadBigEndian(out int type32))
        {
            return false;
        }

        type = (uint)type32;
        if ((uint)size32 == 1)
        {
            headerLength = 16;
            if (!scan.TryReadBigEndian(out size))
            {
                return false;
            }

            // A negative value is a size above 2^63: too large either way.
            if (size < 0 || size > MaxBoxSize)
            {
                throw new Fmp4FormatException(Fmp4Error.BoxTooLarge, $"'{BoxType.Name(type)}' claims {(ulong)size} bytes");
            }
        }
        else
        {
            size = (uint)size32;
        }

        if (size < headerLength)
        {
            throw new Fmp4FormatException(Fmp4Error.BadBoxSize, $"'{BoxType.Name(type)}' claims {size} bytes, less than its header");
        }

        if (size > MaxBoxSize)
        {
            throw new Fmp4FormatException(Fmp4Error.BoxTooLarge, $"'{BoxType.Name(type)}' claims {size} bytes");
        }

        return true;
    }
}
