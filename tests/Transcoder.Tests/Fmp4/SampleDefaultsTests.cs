using System.Buffers;
using Nio.Transcoder.Fmp4;
using Nio.Transcoder.Tests.Support;
using static Nio.Transcoder.Tests.Support.Mp4Boxes;

namespace Nio.Transcoder.Tests.Fmp4;

/// <summary>Where a fragment's durations and first-sample flags come from when boxes leave fields out (ISO/IEC 14496-12 §8.8).</summary>
public sealed class SampleDefaultsTests
{
    private const uint Sync = 0x02000000; // sample_depends_on = 2: depends on no other sample
    private const uint NonSync = 0x01010000; // sample_depends_on = 1, sample_is_non_sync_sample
    private const uint TrexDuration = 512;

    public static TheoryData<string, byte[], long, bool> Cases => new()
    {
        {
            "trun first_sample_flags win over per-sample flags",
            Traf(tfhdFlags: 0, [], tfdt: FullBox("tfdt", 0, 0, U32(90)), trunFlags: 0x004 | 0x100 | 0x400, U32(2), U32(Sync), U32(100), U32(NonSync), U32(200), U32(NonSync)),
            300, true
        },
        {
            "per-sample flags of the first sample",
            Traf(tfhdFlags: 0x20, [U32(Sync)], tfdt: FullBox("tfdt", 0, 0, U32(90)), trunFlags: 0x100 | 0x400, U32(2), U32(100), U32(NonSync), U32(200), U32(Sync)),
            300, false
        },
        {
            "tfhd default duration and flags",
            Traf(tfhdFlags: 0x08 | 0x20, [U32(300), U32(Sync)], tfdt: FullBox("tfdt", 0, 0, U32(90)), trunFlags: 0, U32(3)),
            900, true
        },
        {
            "trex defaults when neither trun nor tfhd has them",
            Traf(tfhdFlags: 0, [], tfdt: FullBox("tfdt", 0, 0, U32(90)), trunFlags: 0, U32(2)),
            2 * TrexDuration, false
        },
        {
            "depending on other samples is not sync even without the non-sync bit",
            Traf(tfhdFlags: 0x20, [U32(0x01000000)], tfdt: FullBox("tfdt", 0, 0, U32(90)), trunFlags: 0, U32(1)),
            TrexDuration, false
        },
        {
            "all-zero flags describe a sync sample",
            Traf(tfhdFlags: 0x20, [U32(0)], tfdt: FullBox("tfdt", 0, 0, U32(90)), trunFlags: 0, U32(1)),
            TrexDuration, true
        },
        {
            "a trun with no samples leaves the first sample to the next trun",
            Box(
                "traf",
                FullBox("tfhd", 0, 0x01 | 0x02 | 0x08 | 0x10 | 0x20, U32(1), U64(0), U32(1), U32(10), U32(99), U32(NonSync)),
                FullBox("tfdt", 0, 0, U32(90)),
                Trun(0x004, U32(0), U32(Sync)),
                Trun(0x001, U32(1), U32(0))),
            10, false
        },
        {
            "only the first trun with samples speaks for the first sample",
            Box("traf", FullBox("tfhd", 0, 0x20, U32(1), U32(NonSync)), FullBox("tfdt", 0, 0, U32(90)), Trun(0, U32(1)), Trun(0x004, U32(1), U32(Sync))),
            2 * TrexDuration, false
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fragment_fields_fall_back_in_order(string name, byte[] traf, long duration, bool sync)
    {
        var track = ReadVideoTrack(traf);

        Assert.True((duration, sync) == (track.Duration, track.StartsWithSyncSample), $"{name}: {track}");
        Assert.Equal(90, track.BaseMediaDecodeTime);
    }

    [Fact]
    public void A_64_bit_decode_time_is_read_whole()
    {
        var track = ReadVideoTrack(Traf(0, [], FullBox("tfdt", 1, 0, U64(1UL << 40)), 0, U32(1)));

        Assert.Equal(1L << 40, track.BaseMediaDecodeTime);
    }

    [Fact]
    public void A_fragment_of_a_track_the_init_segment_lacks_is_rejected()
    {
        var traf = Box("traf", FullBox("tfhd", 0, 0, U32(9)), FullBox("tfdt", 0, 0, U32(0)));

        Assert.Equal(Fmp4Error.UnknownTrack, Assert.Throws<Fmp4FormatException>(() => ReadVideoTrack(traf)).Error);
    }

    private static TrackFragment ReadVideoTrack(byte[] traf)
    {
        byte[] input = [.. Box("moof", FullBox("mfhd", 0, 0, U32(1)), traf), .. Box("mdat")];
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(input));

        Assert.True(Fmp4Reader.TryReadFragment(ref reader, InitWithTrexDefaults(), out var fragment));
        return Assert.Single(fragment.Tracks);
    }

    /// <summary>FFmpeg's init segment with track 1's trex defaults set to 512 ticks and non-sync samples.</summary>
    private static InitSegment InitWithTrexDefaults()
    {
        var bytes = Fmp4Stream.Read(FfmpegSample.Bytes).Init.Bytes.ToArray();
        var trex = Find(bytes, "trex");
        U32(TrexDuration).CopyTo(bytes, trex + 20);
        U32(NonSync).CopyTo(bytes, trex + 28);
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
        Assert.True(Fmp4Reader.TryReadInitSegment(ref reader, out var init));
        return init;
    }

    private static byte[] Traf(uint tfhdFlags, byte[][] tfhdFields, byte[] tfdt, uint trunFlags, params byte[][] trunFields) =>
        Box("traf", FullBox("tfhd", 0, tfhdFlags, [U32(1), .. tfhdFields]), tfdt, Trun(trunFlags, trunFields));

    private static byte[] Trun(uint flags, params byte[][] fields) => FullBox("trun", 0, flags, fields);
}
