using System.Buffers.Binary;
using System.Security.Cryptography;
using Nio.WebRtc.Rtp;

namespace Nio.WebRtc.Srtp;

/// <summary>
/// One direction of SRTP and SRTCP (RFC 3711, RFC 7714): session keys derived from one master key and salt, and the
/// state of each SSRC (rollover counter, replay windows, SRTCP index). Packets are protected and unprotected in place,
/// without allocating. Not thread-safe: the connection that owns it serialises its calls.
/// </summary>
public sealed class SrtpContext : IDisposable
{
    public const int DefaultMaxStreams = 32;

    private const int RtcpHeaderLength = 8;
    private const int RtcpTrailerLength = 4; // E flag and 31-bit SRTCP index
    private const uint EncryptedFlag = 0x8000_0000;
    private const uint MaxRtcpIndex = 0x7FFF_FFFF;
    private const int HmacSha1Length = 20;
    private const int GcmNonceLength = 12;

    private readonly int _tagLength;
    private readonly SessionKeys _rtp;
    private readonly SessionKeys _rtcp;
    private readonly StreamState[] _streams;
    private int _streamCount;

    /// <summary>Derives the six session keys from a master key and salt (RFC 3711 §4.3, key derivation rate 0).</summary>
    public SrtpContext(SrtpProfile profile, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, int maxStreams = DefaultMaxStreams)
        : this(profile, maxStreams, Derive(profile, masterKey, masterSalt, rtcp: false), Derive(profile, masterKey, masterSalt, rtcp: true))
    {
    }

    private SrtpContext(SrtpProfile profile, int maxStreams, SessionKeys rtp, SessionKeys rtcp)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxStreams, 1);
        Profile = profile;
        _tagLength = SrtpProfiles.TagLength(profile);
        _rtp = rtp;
        _rtcp = rtcp;
        _streams = new StreamState[maxStreams];
    }

    public SrtpProfile Profile { get; }

    /// <summary>A context on session keys given directly, as the RFC 7714 test vectors give them.</summary>
    internal static SrtpContext FromSessionKeys(SrtpProfile profile, ReadOnlySpan<byte> key, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> authKey) =>
        new(profile, DefaultMaxStreams, new SessionKeys(profile, key, salt, authKey), new SessionKeys(profile, key, salt, authKey));

    /// <summary>
    /// Authenticates and decrypts an SRTP packet in place. On <see cref="SrtpStatus.Ok"/> the first
    /// <paramref name="length"/> bytes of <paramref name="packet"/> are the RTP packet; on any other status the bytes
    /// are not to be used.
    /// </summary>
    public SrtpStatus UnprotectRtp(Span<byte> packet, out int length)
    {
        length = 0;
        if (!RtpHeader.TryGetHeaderLength(packet, out var headerLength) || packet.Length - headerLength < _tagLength)
        {
            return SrtpStatus.Malformed;
        }

        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]);
        var sequenceNumber = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        var slot = FindStream(ssrc);
        if (slot < 0 && _streamCount == _streams.Length)
        {
            return SrtpStatus.TooManyStreams;
        }

        var window = slot < 0 ? default : _streams[slot].RtpWindow;
        // RFC 3711 §3.3.2: "the receiver checks if the packet index is within the window and not already received ...
        // if the packet ... is a replayed packet, the packet MUST be discarded".
        if (!SrtpIndex.TryEstimate(window, sequenceNumber, out var index) || !window.IsNew(index))
        {
            return SrtpStatus.Replayed;
        }

        var protectedLength = packet.Length - _tagLength;
        var rolloverCounter = (uint)(index >> 16);
        if (_rtp.Gcm is { } gcm)
        {
            // RFC 7714 §8.1: the header is the associated data, the payload the plaintext, the tag follows.
            Span<byte> nonce = stackalloc byte[GcmNonceLength];
            GcmRtpNonce(_rtp.Salt, ssrc, index, nonce);
            var payload = packet[headerLength..protectedLength];
            try
            {
                gcm.Decrypt(nonce, payload, packet[protectedLength..], payload, packet[..headerLength]);
            }
            catch (CryptographicException)
            {
                return SrtpStatus.AuthenticationFailed;
            }
        }
        else
        {
            // RFC 3711 §4.2: "M SHALL consist of the Authenticated Portion of the packet ... concatenated with the ROC,
            // M = Authenticated Portion || ROC"; the tag is checked before anything is decrypted (§3.3).
            Span<byte> tag = stackalloc byte[HmacSha1Length];
            Mac(_rtp.Hmac!, packet[..protectedLength], rolloverCounter, withTrailer: true, tag);
            if (!CryptographicOperations.FixedTimeEquals(tag[.._tagLength], packet[protectedLength..]))
            {
                return SrtpStatus.AuthenticationFailed;
            }

            Span<byte> iv = stackalloc byte[AesCounterMode.BlockSize];
            CounterModeIv(_rtp.Salt, ssrc, index, iv);
            _rtp.Cipher!.Apply(iv, packet[headerLength..protectedLength]);
        }

        Stream(slot, ssrc).RtpWindow.Accept(index);
        length = protectedLength;
        return SrtpStatus.Ok;
    }

    /// <summary>
    /// Encrypts the RTP packet in the first <paramref name="length"/> bytes of <paramref name="buffer"/> in place and
    /// appends the tag; the buffer needs <see cref="SrtpProfiles.RtpOverhead"/> bytes of room after the packet.
    /// </summary>
    public SrtpStatus ProtectRtp(Span<byte> buffer, int length, out int protectedLength)
    {
        protectedLength = 0;
        if ((uint)length > (uint)buffer.Length || !RtpHeader.TryGetHeaderLength(buffer[..length], out var headerLength))
        {
            return SrtpStatus.Malformed;
        }

        if (buffer.Length - length < _tagLength)
        {
            return SrtpStatus.BufferTooSmall;
        }

        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(buffer[8..]);
        var slot = FindStream(ssrc);
        if (slot < 0 && _streamCount == _streams.Length)
        {
            return SrtpStatus.TooManyStreams;
        }

        // The sender keeps its own rollover counter the same way: it goes up when the sequence number wraps.
        var window = slot < 0 ? default : _streams[slot].RtpWindow;
        if (!SrtpIndex.TryEstimate(window, BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]), out var index))
        {
            return SrtpStatus.Replayed;
        }

        if (_rtp.Gcm is { } gcm)
        {
            Span<byte> nonce = stackalloc byte[GcmNonceLength];
            GcmRtpNonce(_rtp.Salt, ssrc, index, nonce);
            var payload = buffer[headerLength..length];
            gcm.Encrypt(nonce, payload, payload, buffer.Slice(length, _tagLength), buffer[..headerLength]);
        }
        else
        {
            Span<byte> iv = stackalloc byte[AesCounterMode.BlockSize];
            CounterModeIv(_rtp.Salt, ssrc, index, iv);
            _rtp.Cipher!.Apply(iv, buffer[headerLength..length]);
            Span<byte> tag = stackalloc byte[HmacSha1Length];
            Mac(_rtp.Hmac!, buffer[..length], (uint)(index >> 16), withTrailer: true, tag);
            tag[.._tagLength].CopyTo(buffer[length..]);
        }

        Stream(slot, ssrc).RtpWindow.Accept(index);
        protectedLength = length + _tagLength;
        return SrtpStatus.Ok;
    }

    /// <summary>
    /// Authenticates and decrypts an SRTCP packet (a compound RTCP packet with its trailer) in place; on
    /// <see cref="SrtpStatus.Ok"/> the first <paramref name="length"/> bytes are the RTCP packet.
    /// </summary>
    public SrtpStatus UnprotectRtcp(Span<byte> packet, out int length)
    {
        length = 0;
        // The first RTCP header and the sender's SSRC, the E flag and SRTCP index, and the tag.
        if (packet.Length < RtcpHeaderLength + RtcpTrailerLength + _tagLength || packet[0] >> 6 != 2)
        {
            return SrtpStatus.Malformed;
        }

        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
        var slot = FindStream(ssrc);
        if (slot < 0 && _streamCount == _streams.Length)
        {
            return SrtpStatus.TooManyStreams;
        }

        //  RFC 3711 §3.4 (and RFC 7714 §9 for AES-GCM, where the tag comes before the trailer):
        //  | RTCP header | encrypted portion | E | SRTCP index (31) | [MKI] | authentication tag |
        var trailerOffset = _rtcp.Gcm is null ? packet.Length - _tagLength - RtcpTrailerLength : packet.Length - RtcpTrailerLength;
        var trailer = BinaryPrimitives.ReadUInt32BigEndian(packet[trailerOffset..]);
        var encrypted = (trailer & EncryptedFlag) != 0;
        var index = trailer & MaxRtcpIndex;
        var window = slot < 0 ? default : _streams[slot].RtcpWindow;
        if (!window.IsNew(index))
        {
            return SrtpStatus.Replayed;
        }

        if (_rtcp.Gcm is { } gcm)
        {
            var tagOffset = packet.Length - RtcpTrailerLength - _tagLength;
            Span<byte> nonce = stackalloc byte[GcmNonceLength];
            GcmRtcpNonce(_rtcp.Salt, ssrc, index, nonce);
            Span<byte> tag = stackalloc byte[16];
            packet.Slice(tagOffset, _tagLength).CopyTo(tag);
            try
            {
                if (encrypted)
                {
                    // RFC 7714 §9.1: "the AAD ... consists of the first 8 octets of the RTCP header ... followed by
                    // the ESRTCP word" (E flag and SRTCP index).
                    Span<byte> associatedData = stackalloc byte[RtcpHeaderLength + RtcpTrailerLength];
                    packet[..RtcpHeaderLength].CopyTo(associatedData);
                    BinaryPrimitives.WriteUInt32BigEndian(associatedData[RtcpHeaderLength..], trailer);
                    var payload = packet[RtcpHeaderLength..tagOffset];
                    gcm.Decrypt(nonce, payload, tag, payload, associatedData);
                }
                else
                {
                    // RFC 7714 §9.2: without encryption the whole packet and the ESRTCP word are the AAD; the word
                    // is moved over the tag so that they lie side by side.
                    BinaryPrimitives.WriteUInt32BigEndian(packet[tagOffset..], trailer);
                    gcm.Decrypt(nonce, [], tag, [], packet[..(tagOffset + RtcpTrailerLength)]);
                }
            }
            catch (CryptographicException)
            {
                return SrtpStatus.AuthenticationFailed;
            }

            length = tagOffset;
        }
        else
        {
            // RFC 3711 §3.4: the authenticated portion is the whole packet up to the tag, trailer included.
            Span<byte> tag = stackalloc byte[HmacSha1Length];
            Mac(_rtcp.Hmac!, packet[..(trailerOffset + RtcpTrailerLength)], rolloverCounter: 0, withTrailer: false, tag);
            if (!CryptographicOperations.FixedTimeEquals(tag[.._tagLength], packet.Slice(trailerOffset + RtcpTrailerLength, _tagLength)))
            {
                return SrtpStatus.AuthenticationFailed;
            }

            if (encrypted)
            {
                Span<byte> iv = stackalloc byte[AesCounterMode.BlockSize];
                CounterModeIv(_rtcp.Salt, ssrc, index, iv);
                _rtcp.Cipher!.Apply(iv, packet[RtcpHeaderLength..trailerOffset]);
            }

            length = trailerOffset;
        }

        Stream(slot, ssrc).RtcpWindow.Accept(index);
        return SrtpStatus.Ok;
    }

    /// <summary>
    /// Encrypts the RTCP packet in the first <paramref name="length"/> bytes of <paramref name="buffer"/> in place
    /// and appends the SRTCP trailer and tag; the buffer needs <see cref="SrtpProfiles.RtcpOverhead"/> bytes of room.
    /// </summary>
    public SrtpStatus ProtectRtcp(Span<byte> buffer, int length, out int protectedLength)
    {
        protectedLength = 0;
        if ((uint)length > (uint)buffer.Length || length < RtcpHeaderLength || buffer[0] >> 6 != 2)
        {
            return SrtpStatus.Malformed;
        }

        if (buffer.Length - length < RtcpTrailerLength + _tagLength)
        {
            return SrtpStatus.BufferTooSmall;
        }

        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(buffer[4..]);
        var slot = FindStream(ssrc);
        if (slot < 0 && _streamCount == _streams.Length)
        {
            return SrtpStatus.TooManyStreams;
        }

        var index = slot < 0 ? 0 : _streams[slot].NextRtcpIndex;
        // RFC 3711 §9.2: "after 2^31 SRTCP packets have been secured with the same key ... the key management MUST
        // be called to provide new master key(s)" — the index never wraps.
        if (index > MaxRtcpIndex)
        {
            return SrtpStatus.KeyLifetimeExceeded;
        }

        var trailer = EncryptedFlag | index;
        if (_rtcp.Gcm is { } gcm)
        {
            Span<byte> nonce = stackalloc byte[GcmNonceLength];
            GcmRtcpNonce(_rtcp.Salt, ssrc, index, nonce);
            Span<byte> associatedData = stackalloc byte[RtcpHeaderLength + RtcpTrailerLength];
            buffer[..RtcpHeaderLength].CopyTo(associatedData);
            BinaryPrimitives.WriteUInt32BigEndian(associatedData[RtcpHeaderLength..], trailer);
            var payload = buffer[RtcpHeaderLength..length];
            gcm.Encrypt(nonce, payload, payload, buffer.Slice(length, _tagLength), associatedData);
            BinaryPrimitives.WriteUInt32BigEndian(buffer[(length + _tagLength)..], trailer);
        }
        else
        {
            Span<byte> iv = stackalloc byte[AesCounterMode.BlockSize];
            CounterModeIv(_rtcp.Salt, ssrc, index, iv);
            _rtcp.Cipher!.Apply(iv, buffer[RtcpHeaderLength..length]);
            BinaryPrimitives.WriteUInt32BigEndian(buffer[length..], trailer);
            Span<byte> tag = stackalloc byte[HmacSha1Length];
            Mac(_rtcp.Hmac!, buffer[..(length + RtcpTrailerLength)], rolloverCounter: 0, withTrailer: false, tag);
            tag[.._tagLength].CopyTo(buffer[(length + RtcpTrailerLength)..]);
        }

        Stream(slot, ssrc).NextRtcpIndex = index + 1;
        protectedLength = length + RtcpTrailerLength + _tagLength;
        return SrtpStatus.Ok;
    }

    public void Dispose()
    {
        _rtp.Dispose();
        _rtcp.Dispose();
    }

    private int FindStream(uint ssrc)
    {
        for (var i = 0; i < _streamCount; i++)
        {
            if (_streams[i].Ssrc == ssrc)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The state of an SSRC, made on its first authenticated packet (callers checked there is room).</summary>
    private ref StreamState Stream(int slot, uint ssrc)
    {
        if (slot < 0)
        {
            slot = _streamCount++;
            _streams[slot] = new StreamState { Ssrc = ssrc };
        }

        return ref _streams[slot];
    }

    /// <summary>
    /// RFC 3711 §4.1.1: "IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16)", with the 112-bit session salt k_s and the
    /// 48-bit index i (for SRTCP, the SRTCP index).
    /// </summary>
    private static void CounterModeIv(ReadOnlySpan<byte> salt, uint ssrc, ulong index, Span<byte> iv)
    {
        iv.Clear();
        BinaryPrimitives.WriteUInt32BigEndian(iv[4..], ssrc);
        BinaryPrimitives.WriteUInt16BigEndian(iv[8..], (ushort)(index >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(iv[10..], (uint)index);
        XorInto(iv, salt);
    }

    /// <summary>
    /// RFC 7714 §8.1: the 12-octet IV is "0x0000 || SSRC (4 octets) || ROC (4 octets) || SEQ (2 octets)", XORed with
    /// the 96-bit session salt.
    /// </summary>
    private static void GcmRtpNonce(ReadOnlySpan<byte> salt, uint ssrc, ulong index, Span<byte> nonce)
    {
        nonce.Clear();
        BinaryPrimitives.WriteUInt32BigEndian(nonce[2..], ssrc);
        BinaryPrimitives.WriteUInt16BigEndian(nonce[6..], (ushort)(index >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(nonce[8..], (uint)index);
        XorInto(nonce, salt);
    }

    /// <summary>RFC 7714 §9.1: "0x0000 || SSRC || 0x0000 || 0 (1 bit) || SRTCP index (31 bits)", XORed with the salt.</summary>
    private static void GcmRtcpNonce(ReadOnlySpan<byte> salt, uint ssrc, uint index, Span<byte> nonce)
    {
        nonce.Clear();
        BinaryPrimitives.WriteUInt32BigEndian(nonce[2..], ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[8..], index);
        XorInto(nonce, salt);
    }

    private static void XorInto(Span<byte> destination, ReadOnlySpan<byte> salt)
    {
        for (var i = 0; i < salt.Length; i++)
        {
            destination[i] ^= salt[i];
        }
    }

    private static void Mac(IncrementalHash hmac, ReadOnlySpan<byte> message, uint rolloverCounter, bool withTrailer, Span<byte> tag)
    {
        hmac.AppendData(message);
        if (withTrailer)
        {
            Span<byte> roc = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(roc, rolloverCounter);
            hmac.AppendData(roc);
        }

        hmac.GetHashAndReset(tag);
    }

    private static SessionKeys Derive(SrtpProfile profile, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, bool rtcp)
    {
        if (!SrtpProfiles.IsSupported(profile) || masterKey.Length != SrtpProfiles.KeyLength || masterSalt.Length != SrtpProfiles.SaltLength(profile))
        {
            throw new ArgumentException($"{profile} takes a {SrtpProfiles.KeyLength}-byte master key and a matching master salt");
        }

        Span<byte> key = stackalloc byte[SrtpProfiles.KeyLength];
        Span<byte> salt = stackalloc byte[SrtpProfiles.SaltLength(profile)];
        Span<byte> authKey = stackalloc byte[profile == SrtpProfile.AeadAes128Gcm ? 0 : HmacSha1Length];
        SrtpKeyDerivation.Derive(masterKey, masterSalt, rtcp ? SrtpKeyDerivation.RtcpEncryption : SrtpKeyDerivation.RtpEncryption, key);
        SrtpKeyDerivation.Derive(masterKey, masterSalt, rtcp ? SrtpKeyDerivation.RtcpSalt : SrtpKeyDerivation.RtpSalt, salt);
        SrtpKeyDerivation.Derive(masterKey, masterSalt, rtcp ? SrtpKeyDerivation.RtcpAuthentication : SrtpKeyDerivation.RtpAuthentication, authKey);
        var keys = new SessionKeys(profile, key, salt, authKey);
        CryptographicOperations.ZeroMemory(key);
        CryptographicOperations.ZeroMemory(authKey);
        return keys;
    }

    /// <summary>The session keys of RTP or of RTCP, as ready-made cipher objects.</summary>
    private sealed class SessionKeys : IDisposable
    {
        public SessionKeys(SrtpProfile profile, ReadOnlySpan<byte> key, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> authKey)
        {
            Salt = salt.ToArray();
            if (profile == SrtpProfile.AeadAes128Gcm)
            {
                Gcm = new AesGcm(key, SrtpProfiles.TagLength(profile));
            }
            else
            {
                Cipher = new AesCounterMode(key);
                Hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, authKey);
            }
        }

        public byte[] Salt { get; }

        public AesCounterMode? Cipher { get; }

        public IncrementalHash? Hmac { get; }

        public AesGcm? Gcm { get; }

        public void Dispose()
        {
            Cipher?.Dispose();
            Hmac?.Dispose();
            Gcm?.Dispose();
        }
    }

    private struct StreamState
    {
        public uint Ssrc;
        public SrtpReplayWindow RtpWindow;
        public SrtpReplayWindow RtcpWindow;
        public uint NextRtcpIndex;
    }
}
