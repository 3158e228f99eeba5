namespace Nio.Ingest.Streams;

/// <summary>An audio, video or script message as an FLV tag: its type (8, 9, 18), timestamp in ms and body.</summary>
public sealed record MediaTag(byte Type, uint Timestamp, byte[] Payload)
{
    public const byte AudioType = 8;
    public const byte VideoType = 9;
    public const byte ScriptType = 18;

    // FLV video tag header: frame type (4 bits) | codec id (4 bits); AVC packet type follows for codec 7.
    public bool IsVideoKeyframe => Type == VideoType && Payload.Length > 0 && Payload[0] >> 4 == 1;

    /// <summary>An AVC decoder configuration or an AAC AudioSpecificConfig: needed by every decoder that joins.</summary>
    public bool IsSequenceHeader => Payload.Length > 1 && Type switch
    {
        VideoType => (Payload[0] & 0x0F) == 7 && Payload[1] == 0,
        AudioType => Payload[0] >> 4 == 10 && Payload[1] == 0,
        _ => false,
    };
}
