using Nio.Ingest.Buffers;
using Nio.Shared.Media;

namespace Nio.Ingest.Streams;

/// <summary>
/// An audio, video or script message as an FLV tag: its type (8, 9, 18), timestamp in ms and body. The body is one
/// pooled buffer shared by everyone holding the tag: each holder retains the tag and releases it when done.
/// </summary>
public sealed class MediaTag(byte type, uint timestamp, PooledBuffer body)
{
    public const byte AudioType = 8;
    public const byte VideoType = 9;
    public const byte ScriptType = 18;

    public byte Type { get; } = type;

    public uint Timestamp { get; } = timestamp;

    public ReadOnlySpan<byte> Payload => body.Span;

    public MediaTag Retain()
    {
        body.Retain();
        return this;
    }

    public void Release() => body.Release();

    // FLV video tag header: frame type (4 bits) | codec id (4 bits); AVC packet type follows for codec 7.
    public bool IsVideoKeyframe => Type == VideoType && Payload.Length > 0 && Payload[0] >> 4 == 1;

    /// <summary>An AVC decoder configuration or an AAC AudioSpecificConfig: needed by every decoder that joins.</summary>
    public bool IsSequenceHeader => Payload.Length > 1 && Type switch
    {
        VideoType => (Payload[0] & 0x0F) == 7 && Payload[1] == 0,
        AudioType => Payload[0] >> 4 == 10 && Payload[1] == 0,
        _ => false,
    };

    /// <summary>
    /// The codec an audio or video tag carries, named from its FLV header (FLV spec v10 §E.4.2, §E.4.3; Enhanced
    /// RTMP's FourCC when the extended header bit is set), or null for a script tag.
    /// </summary>
    public string? Codec => Type switch
    {
        VideoType when Payload.Length > 0 && (Payload[0] & 0x80) != 0 => FourCc(),
        VideoType when Payload.Length > 0 => (Payload[0] & 0x0F) switch
        {
            2 => "h263",
            3 or 6 => "screen",
            4 or 5 => "vp6",
            7 => SourceCodecs.Avc,
            var id => $"flv-video-{id}",
        },
        AudioType when Payload.Length > 0 => (Payload[0] >> 4) switch
        {
            0 or 3 => "pcm",
            1 => "adpcm",
            2 or 14 => "mp3",
            4 or 5 or 6 => "nellymoser",
            7 => "g711a",
            8 => "g711u",
            9 => FourCc(),
            10 => SourceCodecs.Aac,
            11 => "speex",
            var id => $"flv-audio-{id}",
        },
        _ => null,
    };

    private string FourCc() =>
        Payload.Length >= 5 && Payload.Slice(1, 4).IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) < 0
            ? System.Text.Encoding.ASCII.GetString(Payload.Slice(1, 4))
            : "unknown";
}
