using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Nio.WebRtc.Stun;

/// <summary>
/// Writes one STUN message into a caller's buffer, attribute by attribute, keeping the header's length current.
/// MESSAGE-INTEGRITY and then FINGERPRINT, when wanted, are written last. Throws <see cref="ArgumentException"/>
/// when the buffer is too small: the caller sizes it (see <see cref="Ice.IceLiteAgent.ResponseBufferLength"/>).
/// </summary>
public ref struct StunMessageWriter
{
    private readonly Span<byte> _buffer;
    private int _length;

    public StunMessageWriter(Span<byte> buffer, ushort messageType, ReadOnlySpan<byte> transactionId)
    {
        if (transactionId.Length != StunMessage.TransactionIdLength)
        {
            throw new ArgumentException("A transaction ID is 12 bytes.", nameof(transactionId));
        }

        _buffer = buffer;
        _length = StunMessage.HeaderLength;
        Ensure(0);
        BinaryPrimitives.WriteUInt16BigEndian(buffer, messageType);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], StunMessage.MagicCookie);
        transactionId.CopyTo(buffer[8..]);
        SetHeaderLength(_length);
    }

    /// <summary>The message written so far.</summary>
    public readonly ReadOnlySpan<byte> Written => _buffer[.._length];

    public readonly int Length => _length;

    public void WriteUsername(scoped ReadOnlySpan<byte> username) => WriteAttribute(StunAttributeType.Username, username);

    public void WritePriority(uint priority)
    {
        Span<byte> value = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(value, priority);
        WriteAttribute(StunAttributeType.Priority, value);
    }

    public void WriteUseCandidate() => WriteAttribute(StunAttributeType.UseCandidate, []);

    public void WriteIceControlling(ulong tieBreaker) => WriteTieBreaker(StunAttributeType.IceControlling, tieBreaker);

    public void WriteIceControlled(ulong tieBreaker) => WriteTieBreaker(StunAttributeType.IceControlled, tieBreaker);

    /// <summary>XOR-MAPPED-ADDRESS (RFC 8489 §14.2): the address and port xored with the cookie (and transaction ID for IPv6).</summary>
    public void WriteXorMappedAddress(IPEndPoint endpoint)
    {
        var address = endpoint.Address;
        if (address.IsIPv4MappedToIPv6)
        {
            // A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d; the peer knows itself by its IPv4 address.
            address = address.MapToIPv4();
        }

        var addressLength = address.AddressFamily == AddressFamily.InterNetwork ? 4 : 16;
        Span<byte> value = stackalloc byte[4 + 16];
        value = value[..(4 + addressLength)];
        value[0] = 0;
        value[1] = addressLength == 4 ? (byte)0x01 : (byte)0x02;
        BinaryPrimitives.WriteUInt16BigEndian(value[2..], (ushort)(endpoint.Port ^ (int)(StunMessage.MagicCookie >> 16)));
        if (!address.TryWriteBytes(value[4..], out _))
        {
            throw new ArgumentException("The address does not fit its family's size.", nameof(endpoint));
        }

        // The mask is the cookie followed by the transaction ID: bytes 4..20 of the header.
        var mask = _buffer.Slice(4, addressLength);
        for (var i = 0; i < addressLength; i++)
        {
            value[4 + i] ^= mask[i];
        }

        WriteAttribute(StunAttributeType.XorMappedAddress, value);
    }

    /// <summary>ERROR-CODE (RFC 8489 §14.8): class and number, then a short ASCII reason phrase.</summary>
    public void WriteErrorCode(int code, string reason)
    {
        if (code is < 300 or > 699 || reason.Length > 127)
        {
            throw new ArgumentOutOfRangeException(nameof(code), "Error codes are 300-699 with a reason under 128 characters.");
        }

        Span<byte> value = stackalloc byte[4 + 127];
        value[0] = 0;
        value[1] = 0;
        value[2] = (byte)(code / 100);
        value[3] = (byte)(code % 100);
        var reasonLength = Encoding.ASCII.GetBytes(reason, value[4..]);
        WriteAttribute(StunAttributeType.ErrorCode, value[..(4 + reasonLength)]);
    }

    /// <summary>UNKNOWN-ATTRIBUTES (RFC 8489 §14.9): the 16-bit types the request had and this agent does not understand.</summary>
    public void WriteUnknownAttributes(scoped ReadOnlySpan<ushort> types)
    {
        Span<byte> value = stackalloc byte[2 * types.Length];
        for (var i = 0; i < types.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(value[(2 * i)..], types[i]);
        }

        WriteAttribute(StunAttributeType.UnknownAttributes, value);
    }

    /// <summary>MESSAGE-INTEGRITY with <paramref name="key"/>: HMAC-SHA1 over the message so far, its length counting this attribute (RFC 8489 §14.5).</summary>
    public void WriteMessageIntegrity(scoped ReadOnlySpan<byte> key)
    {
        Ensure(4 + StunMessage.MessageIntegrityLength);
        SetHeaderLength(_length + 4 + StunMessage.MessageIntegrityLength);
        Span<byte> hmac = stackalloc byte[HMACSHA1.HashSizeInBytes];
        HMACSHA1.HashData(key, _buffer[.._length], hmac);
        WriteAttribute(StunAttributeType.MessageIntegrity, hmac);
    }

    /// <summary>FINGERPRINT, the last attribute: CRC-32 of the message so far (length counting it) xor 0x5354554e (RFC 8489 §14.7).</summary>
    public void WriteFingerprint()
    {
        Ensure(8);
        SetHeaderLength(_length + 8);
        Span<byte> value = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(value, Crc32.Compute(_buffer[.._length]) ^ StunMessage.FingerprintXor);
        WriteAttribute(StunAttributeType.Fingerprint, value);
    }

    /// <summary>Any attribute, zero-padded to a 32-bit boundary.</summary>
    public void WriteAttribute(ushort type, scoped ReadOnlySpan<byte> value)
    {
        if (value.Length > ushort.MaxValue)
        {
            throw new ArgumentException("An attribute value is at most 65535 bytes.", nameof(value));
        }

        var padded = (value.Length + 3) & ~3;
        Ensure(4 + padded);
        var attribute = _buffer.Slice(_length, 4 + padded);
        BinaryPrimitives.WriteUInt16BigEndian(attribute, type);
        BinaryPrimitives.WriteUInt16BigEndian(attribute[2..], (ushort)value.Length);
        value.CopyTo(attribute[4..]);
        attribute[(4 + value.Length)..].Clear();
        _length += attribute.Length;
        SetHeaderLength(_length);
    }

    private void WriteTieBreaker(ushort type, ulong tieBreaker)
    {
        Span<byte> value = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(value, tieBreaker);
        WriteAttribute(type, value);
    }

    private readonly void SetHeaderLength(int messageLength) =>
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[2..], (ushort)(messageLength - StunMessage.HeaderLength));

    private readonly void Ensure(int more)
    {
        if (_length + more > _buffer.Length || _length + more > StunMessage.MaxLength)
        {
            throw new ArgumentException("The STUN message does not fit the buffer.");
        }
    }
}
