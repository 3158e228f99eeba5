using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Nio.WebRtc.Stun;

/// <summary>Why a datagram is not a STUN message NIO accepts.</summary>
public enum StunParseError
{
    None,

    /// <summary>Shorter than the 20-byte header, or longer than <see cref="StunMessage.MaxLength"/>.</summary>
    BadLength,

    /// <summary>The two most significant bits are not zero or the magic cookie is wrong: not STUN.</summary>
    NotStun,

    /// <summary>The header's message length disagrees with the datagram or is not a multiple of 4.</summary>
    LengthMismatch,

    /// <summary>An attribute runs past the end of the message.</summary>
    TruncatedAttribute,

    /// <summary>An attribute NIO reads has a value of the wrong size.</summary>
    BadAttributeLength,

    /// <summary>An attribute follows FINGERPRINT, which must be the last one.</summary>
    AttributeAfterFingerprint,
}

/// <summary>
/// One STUN message (RFC 8489) read in place from a datagram: the header and the attributes ICE needs, found by
/// offset, nothing copied. <see cref="TryParse"/> checks the framing only; the caller checks FINGERPRINT and
/// MESSAGE-INTEGRITY with <see cref="HasValidFingerprint"/> and <see cref="HasValidMessageIntegrity"/>.
/// </summary>
public readonly ref struct StunMessage
{
    public const int HeaderLength = 20;
    public const int TransactionIdLength = 12;
    public const uint MagicCookie = 0x2112A442;

    /// <summary>
    /// The largest message accepted: a whole Ethernet-sized datagram. ICE's Binding requests are about 100 bytes; the
    /// bound also caps the stack copy that MESSAGE-INTEGRITY is computed over.
    /// </summary>
    public const int MaxLength = 1500;

    /// <summary>"It MUST contain a UTF-8-encoded sequence of fewer than 509 bytes" (RFC 8489 §14.3).</summary>
    public const int MaxUsernameLength = 508;

    public const int MessageIntegrityLength = 20;
    public const uint FingerprintXor = 0x5354554E;

    private const int NotPresent = -1;

    private readonly ReadOnlySpan<byte> _message;

    // Offsets (from the start of the message) of each attribute's value, first occurrence only:
    // "only the first occurrence needs to be processed by a receiver" (RFC 8489 §14).
    private readonly int _username;
    private readonly int _usernameLength;
    private readonly int _messageIntegrity;
    private readonly int _fingerprint;
    private readonly int _priority;
    private readonly int _iceControlling;
    private readonly int _iceControlled;
    private readonly int _xorMappedAddress;
    private readonly int _xorMappedAddressLength;
    private readonly int _errorCode;
    private readonly int _errorCodeLength;

    private StunMessage(ReadOnlySpan<byte> message, scoped in Offsets offsets)
    {
        _message = message;
        Type = BinaryPrimitives.ReadUInt16BigEndian(message);
        _username = offsets.Username;
        _usernameLength = offsets.UsernameLength;
        _messageIntegrity = offsets.MessageIntegrity;
        _fingerprint = offsets.Fingerprint;
        _priority = offsets.Priority;
        _iceControlling = offsets.IceControlling;
        _iceControlled = offsets.IceControlled;
        _xorMappedAddress = offsets.XorMappedAddress;
        _xorMappedAddressLength = offsets.XorMappedAddressLength;
        _errorCode = offsets.ErrorCode;
        _errorCodeLength = offsets.ErrorCodeLength;
        HasUseCandidate = offsets.UseCandidate;
        HasUnknownComprehensionRequiredAttributes = offsets.UnknownComprehensionRequired;
    }

    /// <summary>The 14-bit message type: method and class (see <see cref="StunMessageType"/>).</summary>
    public ushort Type { get; }

    public ushort Method => StunMessageType.MethodOf(Type);

    public StunClass Class => StunMessageType.ClassOf(Type);

    public ReadOnlySpan<byte> TransactionId => _message.Slice(8, TransactionIdLength);

    /// <summary>The whole message, header included.</summary>
    public ReadOnlySpan<byte> Bytes => _message;

    public bool HasUseCandidate { get; }

    /// <summary>True when an attribute that must be understood (type below 0x8000) is one NIO does not know.</summary>
    public bool HasUnknownComprehensionRequiredAttributes { get; }

    public bool HasMessageIntegrity => _messageIntegrity != NotPresent;

    public bool HasFingerprint => _fingerprint != NotPresent;

    /// <summary>The USERNAME's UTF-8 bytes; empty when absent (see <see cref="HasUsername"/>).</summary>
    public ReadOnlySpan<byte> Username => _username == NotPresent ? default : _message.Slice(_username, _usernameLength);

    public bool HasUsername => _username != NotPresent;

    public uint? Priority => _priority == NotPresent ? null : BinaryPrimitives.ReadUInt32BigEndian(_message[_priority..]);

    /// <summary>The tie-breaker of ICE-CONTROLLING, when present (RFC 8445 §7.1.3).</summary>
    public ulong? IceControlling => _iceControlling == NotPresent ? null : BinaryPrimitives.ReadUInt64BigEndian(_message[_iceControlling..]);

    /// <summary>The tie-breaker of ICE-CONTROLLED, when present (RFC 8445 §7.1.3).</summary>
    public ulong? IceControlled => _iceControlled == NotPresent ? null : BinaryPrimitives.ReadUInt64BigEndian(_message[_iceControlled..]);

    /// <summary>Reads one datagram as a STUN message. Never throws; false with a reason for anything malformed.</summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, out StunMessage message, out StunParseError error)
    {
        message = default;
        if (datagram.Length < HeaderLength || datagram.Length > MaxLength)
        {
            error = StunParseError.BadLength;
            return false;
        }

        // "The most significant 2 bits of every STUN message MUST be zeroes." "The Magic Cookie field MUST contain
        // the fixed value 0x2112A442 in network byte order." (RFC 8489 §5)
        if ((datagram[0] & 0xC0) != 0 || BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]) != MagicCookie)
        {
            error = StunParseError.NotStun;
            return false;
        }

        // "The message length MUST contain the size of the message in bytes, not including the 20-byte STUN header.
        // Since all STUN attributes are padded to a multiple of 4 bytes, the last 2 bits of this field are always zero."
        // Over UDP the datagram is the message: no bytes may follow it.
        var length = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        if ((length & 0b11) != 0 || HeaderLength + length != datagram.Length)
        {
            error = StunParseError.LengthMismatch;
            return false;
        }

        var offsets = new Offsets();
        var position = HeaderLength;
        var afterIntegrity = false;
        while (position < datagram.Length)
        {
            if (offsets.Fingerprint != NotPresent)
            {
                // "When present, the FINGERPRINT attribute MUST be the last attribute in the message" (§14.7).
                error = StunParseError.AttributeAfterFingerprint;
                return false;
            }

            // 0                   1                   2                   3
            // 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
            // +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
            // |         Type                  |            Length             |
            // +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
            // |                         Value (variable)                ....
            // +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
            if (datagram.Length - position < 4)
            {
                error = StunParseError.TruncatedAttribute;
                return false;
            }

            var type = BinaryPrimitives.ReadUInt16BigEndian(datagram[position..]);
            var valueLength = BinaryPrimitives.ReadUInt16BigEndian(datagram[(position + 2)..]);
            var value = position + 4;

            // "Each STUN attribute MUST end on a 32-bit boundary": the value is followed by up to 3 bytes of padding.
            var padded = (valueLength + 3) & ~3;
            if (datagram.Length - value < padded)
            {
                error = StunParseError.TruncatedAttribute;
                return false;
            }

            position = value + padded;

            // "With the exception of the MESSAGE-INTEGRITY-SHA256 and FINGERPRINT attributes, which appear after
            // MESSAGE-INTEGRITY, agents MUST ignore all other attributes that follow MESSAGE-INTEGRITY." (§14.5)
            if (afterIntegrity && type is not (StunAttributeType.Fingerprint or StunAttributeType.MessageIntegritySha256))
            {
                continue;
            }

            if (!offsets.Record(type, value, valueLength))
            {
                error = StunParseError.BadAttributeLength;
                return false;
            }

            afterIntegrity |= type == StunAttributeType.MessageIntegrity;
        }

        message = new StunMessage(datagram, offsets);
        error = StunParseError.None;
        return true;
    }

    /// <summary>
    /// FINGERPRINT is present and right: "the CRC-32 of the STUN message up to (but excluding) the FINGERPRINT
    /// attribute itself, XOR'ed with the 32-bit value 0x5354554e" (RFC 8489 §14.7). Being last, it is already
    /// counted in the header's length.
    /// </summary>
    public bool HasValidFingerprint()
    {
        if (_fingerprint == NotPresent)
        {
            return false;
        }

        var expected = Crc32.Compute(_message[..(_fingerprint - 4)]) ^ FingerprintXor;
        return BinaryPrimitives.ReadUInt32BigEndian(_message[_fingerprint..]) == expected;
    }

    /// <summary>
    /// MESSAGE-INTEGRITY is present and was made with <paramref name="key"/> (for ICE's short-term credentials, the
    /// password's bytes; RFC 8489 §9.1.1). Compared in constant time.
    /// </summary>
    public bool HasValidMessageIntegrity(ReadOnlySpan<byte> key)
    {
        if (_messageIntegrity == NotPresent)
        {
            return false;
        }

        // "The text used as input to HMAC is the STUN message, up to and including the attribute preceding the
        // MESSAGE-INTEGRITY attribute. The Length field of the STUN message header is adjusted to point to the end
        // of the MESSAGE-INTEGRITY attribute." (RFC 8489 §14.5) The message is at most MaxLength bytes.
        var covered = _messageIntegrity - 4;
        Span<byte> input = stackalloc byte[MaxLength];
        input = input[..covered];
        _message[..covered].CopyTo(input);
        BinaryPrimitives.WriteUInt16BigEndian(input[2..], (ushort)(covered - HeaderLength + 4 + MessageIntegrityLength));

        Span<byte> hmac = stackalloc byte[HMACSHA1.HashSizeInBytes];
        HMACSHA1.HashData(key, input, hmac);
        return CryptographicOperations.FixedTimeEquals(hmac, _message.Slice(_messageIntegrity, MessageIntegrityLength));
    }

    /// <summary>The XOR-MAPPED-ADDRESS a Binding success response carries (RFC 8489 §14.2).</summary>
    public bool TryGetXorMappedAddress(out IPEndPoint? endpoint)
    {
        endpoint = null;
        if (_xorMappedAddress == NotPresent)
        {
            return false;
        }

        // 0                   1                   2                   3
        // 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
        // +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
        // |0 0 0 0 0 0 0 0|    Family     |         X-Port                |
        // +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
        // |                X-Address (Variable)
        // +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
        var value = _message.Slice(_xorMappedAddress, _xorMappedAddressLength);
        var family = value[1];
        var addressLength = family switch { 0x01 => 4, 0x02 => 16, _ => 0 };
        if (addressLength == 0 || value.Length != 4 + addressLength)
        {
            return false;
        }

        // "X-Port is computed by XOR'ing the mapped port with the most significant 16 bits of the magic cookie";
        // the address with the magic cookie (IPv4) or the cookie followed by the transaction ID (IPv6).
        var port = BinaryPrimitives.ReadUInt16BigEndian(value[2..]) ^ (ushort)(MagicCookie >> 16);
        Span<byte> address = stackalloc byte[addressLength];
        var mask = _message.Slice(4, addressLength);
        for (var i = 0; i < addressLength; i++)
        {
            address[i] = (byte)(value[4 + i] ^ mask[i]);
        }

        endpoint = new IPEndPoint(new IPAddress(address), port);
        return true;
    }

    /// <summary>The ERROR-CODE of an error response: the number and the reason phrase (RFC 8489 §14.8).</summary>
    public bool TryGetErrorCode(out int code, out string reason)
    {
        code = 0;
        reason = "";
        if (_errorCode == NotPresent)
        {
            return false;
        }

        // |           Reserved, should be 0         |Class|     Number    |
        // |      Reason Phrase (variable)                                ..
        var value = _message.Slice(_errorCode, _errorCodeLength);
        var errorClass = value[2] & 0x07;
        var number = value[3];
        if (errorClass is < 3 or > 6 || number > 99)
        {
            return false;
        }

        code = (errorClass * 100) + number;
        reason = Encoding.UTF8.GetString(value[4..]);
        return true;
    }

    /// <summary>Every attribute in order, as type and value (padding excluded); for the rare paths that need more than the offsets.</summary>
    public AttributeEnumerator Attributes => new(_message);

    public ref struct AttributeEnumerator
    {
        private readonly ReadOnlySpan<byte> _message;
        private int _next;

        internal AttributeEnumerator(ReadOnlySpan<byte> message)
        {
            _message = message;
            _next = HeaderLength;
            Current = default;
        }

        public StunAttribute Current { get; private set; }

        public readonly AttributeEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            // The framing was checked by TryParse: every attribute fits.
            if (_next >= _message.Length)
            {
                return false;
            }

            var type = BinaryPrimitives.ReadUInt16BigEndian(_message[_next..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(_message[(_next + 2)..]);
            Current = new StunAttribute(type, _message.Slice(_next + 4, length));
            _next += 4 + ((length + 3) & ~3);
            return true;
        }
    }

    private struct Offsets
    {
        public int Username = NotPresent;
        public int UsernameLength;
        public int MessageIntegrity = NotPresent;
        public int Fingerprint = NotPresent;
        public int Priority = NotPresent;
        public int IceControlling = NotPresent;
        public int IceControlled = NotPresent;
        public int XorMappedAddress = NotPresent;
        public int XorMappedAddressLength;
        public int ErrorCode = NotPresent;
        public int ErrorCodeLength;
        public bool UseCandidate;
        public bool UnknownComprehensionRequired;

        public Offsets()
        {
        }

        /// <summary>Notes where an attribute's value is; false when its length is wrong for its type.</summary>
        public bool Record(ushort type, int value, int length)
        {
            var validLength = type switch
            {
                StunAttributeType.Username => length <= MaxUsernameLength,
                StunAttributeType.MessageIntegrity => length == MessageIntegrityLength,
                StunAttributeType.Fingerprint or StunAttributeType.Priority => length == 4,
                StunAttributeType.IceControlling or StunAttributeType.IceControlled => length == 8,
                StunAttributeType.UseCandidate => length == 0,
                StunAttributeType.XorMappedAddress => length is 8 or 20,

                // "The reason phrase MUST be a UTF-8-encoded sequence of fewer than 128 characters (which can be as
                // long as 509 bytes when encoding them or 763 bytes when decoding them)" (§14.8).
                StunAttributeType.ErrorCode => length is >= 4 and <= 4 + 763,
                _ => true,
            };
            if (!validLength)
            {
                return false;
            }

            switch (type)
            {
                case StunAttributeType.Username when Username == NotPresent:
                    (Username, UsernameLength) = (value, length);
                    break;
                case StunAttributeType.MessageIntegrity when MessageIntegrity == NotPresent:
                    MessageIntegrity = value;
                    break;
                case StunAttributeType.Fingerprint when Fingerprint == NotPresent:
                    Fingerprint = value;
                    break;
                case StunAttributeType.Priority when Priority == NotPresent:
                    Priority = value;
                    break;
                case StunAttributeType.IceControlling when IceControlling == NotPresent:
                    IceControlling = value;
                    break;
                case StunAttributeType.IceControlled when IceControlled == NotPresent:
                    IceControlled = value;
                    break;
                case StunAttributeType.UseCandidate:
                    UseCandidate = true;
                    break;
                case StunAttributeType.XorMappedAddress when XorMappedAddress == NotPresent:
                    (XorMappedAddress, XorMappedAddressLength) = (value, length);
                    break;
                case StunAttributeType.ErrorCode when ErrorCode == NotPresent:
                    (ErrorCode, ErrorCodeLength) = (value, length);
                    break;
                default:
                    UnknownComprehensionRequired |= !StunAttributeType.IsUnderstood(type);
                    break;
            }

            return true;
        }
    }
}

/// <summary>One attribute of a parsed message: its type and its value without padding.</summary>
public readonly ref struct StunAttribute(ushort type, ReadOnlySpan<byte> value)
{
    public ushort Type { get; } = type;

    public ReadOnlySpan<byte> Value { get; } = value;
}
