using Nio.Ingest.Buffers;

namespace Nio.Ingest.Media;

/// <summary>
/// One coded picture or audio frame of a live stream, whatever protocol brought it: its <see cref="Format"/>, decode
/// time on the <see cref="MediaClock"/>, the composition offset of a reordered (B-frame) picture, whether a decoder can
/// start at it, and its bytes (see <see cref="TrackFormat"/> for their layout per codec). The bytes are part of one
/// pooled buffer shared by everyone holding the unit: each holder retains it and releases it when done.
/// </summary>
public sealed class AccessUnit(TrackFormat format, long timestamp, int compositionOffset, bool keyframe, PooledBuffer buffer, int offset)
{
    public TrackFormat Format { get; } = format;

    public MediaKind Kind => Format.Kind;

    /// <summary>Decode time in <see cref="MediaClock"/> ticks.</summary>
    public long Timestamp { get; } = timestamp;

    /// <summary>Presentation time minus decode time, in <see cref="MediaClock"/> ticks; 0 unless pictures are reordered.</summary>
    public int CompositionOffset { get; } = compositionOffset;

    /// <summary>A picture a decoder can start at (an IDR picture); every audio frame is one.</summary>
    public bool Keyframe { get; } = keyframe;

    public ReadOnlySpan<byte> Data => buffer.Span[offset..];

    public AccessUnit Retain()
    {
        buffer.Retain();
        return this;
    }

    public void Release() => buffer.Release();
}
