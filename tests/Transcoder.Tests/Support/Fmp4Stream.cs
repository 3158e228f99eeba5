using System.Buffers;
using Nio.Transcoder.Fmp4;

namespace Nio.Transcoder.Tests.Support;

/// <summary>Reads a whole buffered stream the way the Transcoder's pipe loop will: init segment, then fragments.</summary>
public sealed record Fmp4Stream(InitSegment Init, IReadOnlyList<MediaFragment> Fragments, long Consumed)
{
    public static Fmp4Stream Read(ReadOnlySequence<byte> sequence)
    {
        var reader = new SequenceReader<byte>(sequence);
        Assert.True(Fmp4Reader.TryReadInitSegment(ref reader, out var init));
        var fragments = new List<MediaFragment>();
        while (Fmp4Reader.TryReadFragment(ref reader, init, out var fragment))
        {
            fragments.Add(fragment);
        }

        return new Fmp4Stream(init, fragments, reader.Consumed);
    }

    public static Fmp4Stream Read(byte[] bytes) => Read(new ReadOnlySequence<byte>(bytes));
}
