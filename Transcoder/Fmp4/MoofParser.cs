using System.Buffers.Binary;

namespace Nio.Transcoder.Fmp4;

/// <summary>Reads per-track timing and the first sample's sync flag out of a whole <c>moof</c> box.</summary>
internal static class MoofParser
{
    // tfhd flags (ISO/IEC 14496-12 §8.8.7).
    private const uint BaseDataOffsetPresent = 0x01;
    private const uint SampleDescriptionIndexPresent = 0x02;
    private const uint DefaultSampleDurationPresent = 0x08;
    private const uint DefaultSampleSizePresent = 0x10;
    private const uint DefaultSampleFlagsPresent = 0x20;

    // trun flags (§8.8.8).
    private const uint DataOffsetPresent = 0x01;
    private const uint FirstSampleFlagsPresent = 0x04;
    private const uint SampleDurationPresent = 0x100;
    private const uint SampleSizePresent = 0x200;
    private const uint SampleFlagsPresent = 0x400;
    private const uint SampleCompositionTimeOffsetPresent = 0x800;

    public static MediaFragment Parse(byte[] bytes, long moofStart, InitSegment init)
    {
        var top = new ChildBoxes(bytes.AsSpan((int)moofStart), BoxType.Moof);
        top.MoveNext();
        var tracks = new List<TrackFragment>();
        var children = new ChildBoxes(top.Body, BoxType.Moof);
        while (children.MoveNext())
        {
            if (children.Type != BoxType.Traf)
            {
                continue;
            }

            var track = ParseTraf(children.Body, init);
            if (tracks.Any(existing => existing.TrackId == track.TrackId))
            {
                throw new Fmp4FormatException(Fmp4Error.DuplicateTrack, $"track {track.TrackId} has two 'traf' in one 'moof'");
            }

            tracks.Add(track);
        }

        if (tracks.Count == 0)
        {
            throw new Fmp4FormatException(Fmp4Error.MissingBox, "'moof' has no 'traf'");
        }

        return new MediaFragment(bytes, tracks);
    }

    private static TrackFragment ParseTraf(ReadOnlySpan<byte> traf, InitSegment init)
    {
        // Every trun needs the tfhd's defaults, so truns are read in a second pass.
        Header? header = null;
        long? decodeTime = null;
        var children = new ChildBoxes(traf, BoxType.Traf);
        while (children.MoveNext())
        {
            if (children.Type == BoxType.Tfhd)
            {
                header = ParseTfhd(children.Body, init);
            }
            else if (children.Type == BoxType.Tfdt)
            {
                decodeTime = ParseTfdt(children.Body);
            }
        }

        if (header is not { } tfhd || decodeTime is not { } baseMediaDecodeTime)
        {
            throw new Fmp4FormatException(Fmp4Error.MissingBox, "'traf' lacks 'tfhd' or 'tfdt'");
        }

        long duration = 0;
        long sampleCount = 0;
        uint? firstSampleFlags = null;
        children = new ChildBoxes(traf, BoxType.Traf);
        while (children.MoveNext())
        {
            if (children.Type != BoxType.Trun)
            {
                continue;
            }

            var run = ParseTrun(children.Body, tfhd);
            if (sampleCount == 0 && run.SampleCount > 0)
            {
                firstSampleFlags = run.FirstSampleFlags;
            }

            // Counts fit a long (a moof of at most 64 MiB holds a few million truns); durations of 2^32 samples of 2^32 ticks may not.
            sampleCount += run.SampleCount;
            if (run.Duration > (ulong)(long.MaxValue - duration))
            {
                throw new Fmp4FormatException(Fmp4Error.ValueOutOfRange, $"track {tfhd.TrackId} lasts beyond 2^63 ticks");
            }

            duration += (long)run.Duration;
        }

        // The first sample's flags: the trun's first_sample_flags, else its own sample_flags, else the tfhd's (or trex's) default.
        return new TrackFragment(tfhd.TrackId, baseMediaDecodeTime, duration, sampleCount, IsSyncSample(firstSampleFlags ?? tfhd.DefaultFlags));
    }

    private static Header ParseTfhd(ReadOnlySpan<byte> body, InitSegment init)
    {
        var reader = new BoxReader(body, BoxType.Tfhd);
        var (_, flags) = reader.ReadFullBoxHeader();
        var trackId = reader.ReadUInt32();
        if (init.FindTrack(trackId) is null)
        {
            throw new Fmp4FormatException(Fmp4Error.UnknownTrack, $"fragment of track {trackId}, which the init segment does not have");
        }

        var defaults = init.Defaults.GetValueOrDefault(trackId);
        if ((flags & BaseDataOffsetPresent) != 0)
        {
            reader.Skip(8);
        }

        if ((flags & SampleDescriptionIndexPresent) != 0)
        {
            reader.Skip(4);
        }

        var duration = (flags & DefaultSampleDurationPresent) != 0 ? reader.ReadUInt32() : defaults.SampleDuration;
        if ((flags & DefaultSampleSizePresent) != 0)
        {
            reader.Skip(4);
        }

        var sampleFlags = (flags & DefaultSampleFlagsPresent) != 0 ? reader.ReadUInt32() : defaults.SampleFlags;
        return new Header(trackId, duration, sampleFlags);
    }

    private static long ParseTfdt(ReadOnlySpan<byte> body)
    {
        var reader = new BoxReader(body, BoxType.Tfdt);
        var (version, _) = reader.ReadFullBoxHeader();
        var time = version == 1 ? reader.ReadUInt64() : reader.ReadUInt32();
        return time <= long.MaxValue
            ? (long)time
            : throw new Fmp4FormatException(Fmp4Error.ValueOutOfRange, $"baseMediaDecodeTime {time} is beyond 2^63");
    }

    private static Run ParseTrun(ReadOnlySpan<byte> body, Header tfhd)
    {
        var reader = new BoxReader(body, BoxType.Trun);
        var (_, flags) = reader.ReadFullBoxHeader();
        var sampleCount = reader.ReadUInt32();
        if ((flags & DataOffsetPresent) != 0)
        {
            reader.Skip(4);
        }

        uint? firstSampleFlags = (flags & FirstSampleFlagsPresent) != 0 ? reader.ReadUInt32() : null;

        // Each sample record holds, in this order, the present ones of: duration, size, flags, composition offset.
        var hasDuration = (flags & SampleDurationPresent) != 0;
        var flagsOffset = (hasDuration ? 4 : 0) + ((flags & SampleSizePresent) != 0 ? 4 : 0);
        var hasFlags = (flags & SampleFlagsPresent) != 0;
        var stride = flagsOffset + (hasFlags ? 4 : 0) + ((flags & SampleCompositionTimeOffsetPresent) != 0 ? 4 : 0);

        // The count is checked against the bytes that must back it before any per-sample loop runs.
        var samples = reader.Rest;
        if ((long)sampleCount * stride > samples.Length)
        {
            throw new Fmp4FormatException(Fmp4Error.Truncated, $"'trun' claims {sampleCount} samples of {stride} bytes, {samples.Length} are left");
        }

        if (firstSampleFlags is null && hasFlags && sampleCount > 0)
        {
            firstSampleFlags = BinaryPrimitives.ReadUInt32BigEndian(samples[flagsOffset..]);
        }

        if (!hasDuration)
        {
            return new Run(sampleCount, Math.BigMul(sampleCount, tfhd.DefaultDuration), firstSampleFlags);
        }

        ulong duration = 0;
        for (var i = 0; i < sampleCount; i++)
        {
            duration += BinaryPrimitives.ReadUInt32BigEndian(samples[(i * stride)..]);
        }

        return new Run(sampleCount, duration, firstSampleFlags);
    }

    /// <summary>
    /// sample_flags (§8.8.3.1): is_leading(2) sample_depends_on(2) sample_is_depended_on(2) sample_has_redundancy(2)
    /// sample_padding_value(3) sample_is_non_sync_sample(1) sample_degradation_priority(16), after 4 reserved bits.
    /// A sample is a sync sample unless it is flagged non-sync or as depending on others (sample_depends_on == 1).
    /// </summary>
    private static bool IsSyncSample(uint flags) => (flags & 0x00010000) == 0 && ((flags >> 24) & 0x3) != 1;

    private readonly record struct Header(uint TrackId, uint DefaultDuration, uint DefaultFlags);

    private readonly record struct Run(uint SampleCount, ulong Duration, uint? FirstSampleFlags);
}
