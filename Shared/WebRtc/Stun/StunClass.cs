namespace Nio.WebRtc.Stun;

/// <summary>The class of a STUN message (RFC 8489 §5): the two C bits of the message type.</summary>
public enum StunClass
{
    Request = 0b00,
    Indication = 0b01,
    SuccessResponse = 0b10,
    ErrorResponse = 0b11,
}

/// <summary>STUN methods NIO speaks: only Binding (RFC 8489 §18.2).</summary>
public static class StunMethod
{
    public const ushort Binding = 0x001;
}

/// <summary>The 14-bit message type field, method and class interleaved.</summary>
public static class StunMessageType
{
    // RFC 8489 §5:
    //  0                 1
    //  2  3  4 5 6 7 8 9 0 1 2 3 4 5
    // +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
    // |M |M |M|M|M|C|M|M|M|C|M|M|M|M|
    // |11|10|9|8|7|1|6|5|4|0|3|2|1|0|
    // +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
    public static ushort Compose(ushort method, StunClass messageClass)
    {
        var c = (int)messageClass;
        return (ushort)((method & 0x000F) | ((method & 0x0070) << 1) | ((method & 0x0F80) << 2)
            | ((c & 0b01) << 4) | ((c & 0b10) << 7));
    }

    public static ushort MethodOf(ushort type) => (ushort)((type & 0x000F) | ((type & 0x00E0) >> 1) | ((type & 0x3E00) >> 2));

    public static StunClass ClassOf(ushort type) => (StunClass)(((type >> 4) & 0b01) | ((type >> 7) & 0b10));
}
