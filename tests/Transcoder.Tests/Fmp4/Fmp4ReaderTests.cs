using Nio.TestSupport;
using System.Buffers;
using System.Text;
using Nio.Transcoder.Fmp4;
using Nio.Transcoder.Tests.Support;
using static Nio.Transcoder.Tests.Support.Mp4Boxes;

namespace Nio.Transcoder.Tests.Fmp4;

public sealed class Fmp4ReaderTests
{
    [Fact]
    public void Init_segment_describes_both_tracks_of_real_ffmpeg_output()
    {
        var stream = Fmp4Stream.Read(FfmpegSample.Bytes);

        Assert.Equal("ftyp", Encoding.ASCII.GetString(stream.Init.Bytes.Span[4..8]));
        Assert.Equal(FfmpegSample.Bytes.AsSpan(0, stream.Init.Bytes.Length), stream.Init.Bytes.Span);
        Assert.Equal(2, stream.Init.Tracks.Count);
        var video = Assert.IsType<VideoTrack>(stream.Init.Tracks[0]);
        var audio = Assert.IsType<AudioTrack>(stream.Init.Tracks[1]);
        Assert.Equal(new VideoTrack(1, 15360, "avc1.64000D", 320, 240), video);
        Assert.Equal(new AudioTrack(2, 44100, "mp4a.40.2", 44100, 1), audio);
        Assert.Equal("avc1.64000D,mp4a.40.2", stream.Init.Codecs);
    }

    [Fact]
    public void Fragments_cover_the_whole_stream_with_a_keyframe_every_second()
    {
        var bytes = FfmpegSample.Bytes;
        var stream = Fmp4Stream.Read(bytes);

        // Everything but FFmpeg's closing mfra index is init segment or fragment, byte for byte, in order.
        byte[] units = [.. stream.Init.Bytes.ToArray(), .. stream.Fragments.SelectMany(f => f.Bytes.ToArray())];
        Assert.Equal(bytes[..(int)stream.Consumed], units);
        Assert.Equal("mfra", Encoding.ASCII.GetString(bytes, (int)stream.Consumed + 4, 4));

        foreach (var track in stream.Init.Tracks)
        {
            var pieces = stream.Fragments.Select(f => f.FindTrack(track.TrackId)).OfType<TrackFragment>().ToList();
            Assert.InRange(pieces.Sum(p => p.Duration) / (double)track.Timescale, 2.9, 3.1);

            // Fragments follow each other without gaps.
            for (var i = 1; i < pieces.Count; i++)
            {
                Assert.Equal(pieces[i - 1].BaseMediaDecodeTime + pieces[i - 1].Duration, pieces[i].BaseMediaDecodeTime);
            }
        }

        Assert.True(stream.Fragments[0].IsIndependent);
        var keyframeTimes = stream.Fragments
            .Select(f => f.FindTrack(1))
            .OfType<TrackFragment>()
            .Where(v => v.StartsWithSyncSample)
            .Select(v => v.BaseMediaDecodeTime / 15360.0);
        Assert.Equal([0.0, 1.0, 2.0], keyframeTimes);
        Assert.All(stream.Fragments.SelectMany(f => f.Tracks).Where(t => t.TrackId == 2), audio => Assert.True(audio.StartsWithSyncSample));
        Assert.All(stream.Fragments.Select(f => f.FindTrack(1)).OfType<TrackFragment>(), v => Assert.True(v.Duration <= 3072));
    }

    [Fact]
    public void Every_prefix_of_a_unit_needs_more_data_and_consumes_nothing()
    {
        var bytes = FfmpegSample.Bytes;
        var whole = Fmp4Stream.Read(bytes);
        var units = new List<ReadOnlyMemory<byte>> { whole.Init.Bytes };
        units.AddRange(whole.Fragments.Select(f => f.Bytes));

        for (var u = 0; u < units.Count; u++)
        {
            var unit = units[u].ToArray();
            for (var length = 0; length <= unit.Length; length++)
            {
                var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(unit, 0, length));
                var complete = u == 0
                    ? Fmp4Reader.TryReadInitSegment(ref reader, out _)
                    : Fmp4Reader.TryReadFragment(ref reader, whole.Init, out _);

                Assert.Equal(length == unit.Length, complete);
                Assert.Equal(complete ? length : 0, reader.Consumed);
            }
        }
    }

    [Fact]
    public void One_byte_per_segment_reads_the_same_as_one_contiguous_buffer()
    {
        var bytes = FfmpegSample.Bytes;
        var expected = Fmp4Stream.Read(bytes);

        var perByte = Fmp4Stream.Read(Sequences.SegmentPerByte(bytes));

        Assert.Equal(expected.Consumed, perByte.Consumed);
        Assert.Equal(expected.Init.Tracks, perByte.Init.Tracks);
        Assert.Equal(expected.Fragments.Count, perByte.Fragments.Count);
        for (var i = 0; i < expected.Fragments.Count; i++)
        {
            Assert.Equal(expected.Fragments[i].Tracks, perByte.Fragments[i].Tracks);
            Assert.True(expected.Fragments[i].Bytes.Span.SequenceEqual(perByte.Fragments[i].Bytes.Span));
        }
    }

    [Fact]
    public void Unknown_boxes_before_a_moof_travel_with_the_fragment()
    {
        var whole = Fmp4Stream.Read(FfmpegSample.Bytes);
        var styp = Box("styp", Encoding.ASCII.GetBytes("msdh"), U32(0));
        var prft = FullBox("prft", 1, 0, U32(1), U64(0), U64(0));
        byte[] input = [.. styp, .. prft, .. whole.Fragments[0].Bytes.ToArray()];

        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(input));
        Assert.True(Fmp4Reader.TryReadFragment(ref reader, whole.Init, out var fragment));

        Assert.Equal(input, fragment.Bytes.ToArray());
        Assert.Equal(whole.Fragments[0].Tracks, fragment.Tracks);
    }

    public static TheoryData<string, byte[], Fmp4Error> LyingHeaders => new()
    {
        { "size 0 (to end of file)", [.. U32(0), .. "moof"u8], Fmp4Error.BadBoxSize },
        { "size 7", [.. U32(7), .. "moof"u8], Fmp4Error.BadBoxSize },
        { "size 1, 64-bit size 15", [.. U32(1), .. "mdat"u8, .. U64(15)], Fmp4Error.BadBoxSize },
        { "size 1, 64-bit size 2^64-1", [.. U32(1), .. "mdat"u8, .. U64(ulong.MaxValue)], Fmp4Error.BoxTooLarge },
        { "size 1, 64-bit size one past the bound", [.. U32(1), .. "moof"u8, .. U64(Fmp4Reader.MaxBoxSize + 1)], Fmp4Error.BoxTooLarge },
        { "32-bit size one past the bound", [.. U32((uint)Fmp4Reader.MaxBoxSize + 1), .. "moof"u8], Fmp4Error.BoxTooLarge },
        { "32-bit size 2^32-1", [.. U32(uint.MaxValue), .. "styp"u8], Fmp4Error.BoxTooLarge },
        { "mdat with no moof", [.. U32(16), .. "mdat"u8], Fmp4Error.UnexpectedBox },
        { "init segment after the init segment", [.. U32(16), .. "moov"u8], Fmp4Error.UnexpectedBox },
        { "leading boxes adding up past the bound", [.. Box("free", new byte[1000]), .. U32((uint)Fmp4Reader.MaxBoxSize - 500), .. "free"u8], Fmp4Error.BoxTooLarge },
    };

    [Theory]
    [MemberData(nameof(LyingHeaders))]
    public void A_lying_size_is_rejected_as_soon_as_its_header_arrives(string name, byte[] header, Fmp4Error error)
    {
        var init = Fmp4Stream.Read(FfmpegSample.Bytes).Init;

        Assert.True(error == FragmentError(header, init), name);
    }

    [Fact]
    public void A_box_at_the_bound_waits_for_its_bytes_and_consumes_nothing()
    {
        var init = Fmp4Stream.Read(FfmpegSample.Bytes).Init;
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>([.. U32((uint)Fmp4Reader.MaxBoxSize), .. "moof"u8, 0, 0]));

        Assert.False(Fmp4Reader.TryReadFragment(ref reader, init, out _));
        Assert.Equal(0, reader.Consumed);
    }

    [Fact]
    public void Media_before_the_init_segment_is_rejected()
    {
        var whole = Fmp4Stream.Read(FfmpegSample.Bytes);
        Assert.Equal(Fmp4Error.UnexpectedBox, InitError(whole.Fragments[0].Bytes.ToArray()));
    }

    [Fact]
    public void A_trun_claiming_more_samples_than_its_bytes_is_rejected()
    {
        var whole = Fmp4Stream.Read(FfmpegSample.Bytes);
        var fragment = whole.Fragments[0].Bytes.ToArray();
        var trun = Find(fragment, "trun");
        U32(uint.MaxValue).CopyTo(fragment, trun + 12); // sample_count, after size, type, version and flags

        Assert.Equal(Fmp4Error.Truncated, FragmentError(fragment, whole.Init));
    }

    [Fact]
    public void A_child_box_larger_than_its_parent_is_rejected()
    {
        var whole = Fmp4Stream.Read(FfmpegSample.Bytes);
        var init = whole.Init.Bytes.ToArray();
        U32(100_000).CopyTo(init, Find(init, "tkhd"));

        Assert.Equal(Fmp4Error.BadBoxSize, InitError(init));
    }

    [Fact]
    public void Random_bytes_need_more_data_or_are_rejected_never_anything_else()
    {
        var random = new Random(20240611);
        var init = Fmp4Stream.Read(FfmpegSample.Bytes).Init;
        for (var i = 0; i < 5000; i++)
        {
            var bytes = new byte[random.Next(0, 600)];
            random.NextBytes(bytes);
            if (i % 2 == 0 && bytes.Length >= 8)
            {
                // Plausible sizes get the parser past the first header more often than uniform noise does.
                U32((uint)random.Next(8, bytes.Length + 1)).CopyTo(bytes, 0);
            }

            AssertNeedsMoreOrRejects(bytes, init);
        }
    }

    [Fact]
    public void Corrupted_real_output_parses_or_is_rejected_never_anything_else()
    {
        var random = new Random(7);
        var whole = Fmp4Stream.Read(FfmpegSample.Bytes);
        var units = new[] { whole.Init.Bytes.ToArray(), whole.Fragments[0].Bytes.ToArray(), whole.Fragments[1].Bytes.ToArray() };
        for (var i = 0; i < 3000; i++)
        {
            var unit = units[i % units.Length];
            var corrupted = unit.ToArray();

            // Corrupt the boxes' structure (the first few hundred bytes), not just the opaque sample data.
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                corrupted[random.Next(0, Math.Min(corrupted.Length, 1300))] = (byte)random.Next(256);
            }

            AssertNeedsMoreOrRejects(corrupted, whole.Init);
            AssertNeedsMoreOrRejects(corrupted[..random.Next(0, corrupted.Length)], whole.Init);
        }
    }

    private static Fmp4Error InitError(byte[] bytes) => Assert.Throws<Fmp4FormatException>(() =>
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
        Fmp4Reader.TryReadInitSegment(ref reader, out _);
    }).Error;

    private static Fmp4Error FragmentError(byte[] bytes, InitSegment init) => Assert.Throws<Fmp4FormatException>(() =>
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
        Fmp4Reader.TryReadFragment(ref reader, init, out _);
    }).Error;

    private static void AssertNeedsMoreOrRejects(byte[] bytes, InitSegment init)
    {
        foreach (var readInit in new[] { true, false })
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
            try
            {
                var complete = readInit
                    ? Fmp4Reader.TryReadInitSegment(ref reader, out _)
                    : Fmp4Reader.TryReadFragment(ref reader, init, out _);
                if (!complete)
                {
                    Assert.Equal(0, reader.Consumed);
                }
            }
            catch (Fmp4FormatException)
            {
            }
        }
    }
}
