using Nio.Ingest.Buffers;

namespace Nio.Ingest.Rtmp;

/// <summary>RTMP message type ids (RTMP 1.0 specification §5.4, §7.1).</summary>
public static class MessageType
{
    public const byte SetChunkSize = 1;
    public const byte Abort = 2;
    public const byte Acknowledgement = 3;
    public const byte UserControl = 4;
    public const byte WindowAckSize = 5;
    public const byte SetPeerBandwidth = 6;
    public const byte Audio = 8;
    public const byte Video = 9;
    public const byte DataAmf3 = 15;
    public const byte CommandAmf3 = 17;
    public const byte DataAmf0 = 18;
    public const byte CommandAmf0 = 20;

    public static bool IsProtocolControl(byte type) => type is >= SetChunkSize and <= SetPeerBandwidth and not UserControl;
}

/// <summary>One complete RTMP message. Whoever handles it releases the payload; whoever keeps the payload retains it.</summary>
public readonly record struct RtmpMessage(uint ChunkStreamId, byte Type, uint StreamId, uint Timestamp, PooledBuffer Payload);
