using System.Buffers.Binary;
using System.Collections.Concurrent;
using Org.BouncyCastle.Tls;

namespace Nio.WebRtc.Dtls;

/// <summary>Sends one datagram to the peer; called on the handshake's thread or the caller's, never blocking.</summary>
public delegate void DtlsSend(ReadOnlySpan<byte> datagram);

/// <summary>
/// BouncyCastle's blocking <see cref="DatagramTransport"/> over datagrams the owner pushes in: what the one UDP socket
/// received for this peer is queued (bounded; the excess is dropped, as the network would), and what DTLS sends goes
/// to the owner's send callback.
/// </summary>
internal sealed class DatagramQueue(DtlsSend send, CancellationToken abandon) : DatagramTransport
{
    /// <summary>
    /// The largest datagram accepted: one full DTLS record (RFC 6347 §4.1: a 13-byte header and at most 2^14 bytes of
    /// plaintext plus 2048 of expansion). On a real path datagrams stay under the MTU; loopback peers may send more.
    /// </summary>
    public const int MaxDatagramLength = 13 + (1 << 14) + 2048;

    /// <summary>
    /// What this server sends per datagram: BouncyCastle fragments handshake messages to fit. 1200 bytes fit every path
    /// WebRTC runs on (with IPv6, UDP and TURN headers), the size browsers use too.
    /// </summary>
    public const int SendLimit = 1200;

    /// <summary>Datagrams waiting for DTLS; a handshake flight is a few, so a peer sending more is flooding.</summary>
    private const int Capacity = 64;

    private readonly BlockingCollection<byte[]> _received = new(Capacity);

    /// <summary>The shortest protected record: AES-GCM's 8-byte explicit nonce and 16-byte tag (RFC 5288 §3).</summary>
    private const int MinProtectedRecordLength = 8 + 16;

    private const int RecordHeaderLength = 13;

    /// <summary>Queues a copy of a received datagram; false when it is malformed, too long, or the queue is full.</summary>
    public bool TryEnqueue(ReadOnlySpan<byte> datagram) =>
        datagram.Length <= MaxDatagramLength && IsWellFormed(datagram) && _received.TryAdd(datagram.ToArray());

    /// <summary>
    /// Whether the datagram is a sequence of whole DTLS records, none of them a protected record too short to hold a
    /// nonce and a tag. BouncyCastle takes such a record for a fatal decode_error and ends the connection, where RFC
    /// 6347 §4.1.2.7 says: "In general, invalid records SHOULD be silently discarded, thus preserving the association".
    /// </summary>
    /// <remarks>
    /// RFC 6347 §4.1:
    /// <code>
    /// struct {
    ///      ContentType type;
    ///      ProtocolVersion version;
    ///      uint16 epoch;                                     // New field
    ///      uint48 sequence_number;                           // New field
    ///      uint16 length;
    ///      opaque fragment[DTLSPlaintext.length];
    ///    } DTLSPlaintext;
    /// </code>
    /// </remarks>
    internal static bool IsWellFormed(ReadOnlySpan<byte> datagram)
    {
        if (datagram.IsEmpty)
        {
            return false;
        }

        while (!datagram.IsEmpty)
        {
            if (datagram.Length < RecordHeaderLength)
            {
                return false;
            }

            var epoch = BinaryPrimitives.ReadUInt16BigEndian(datagram[3..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(datagram[11..]);
            if (RecordHeaderLength + length > datagram.Length || (epoch != 0 && length < MinProtectedRecordLength))
            {
                return false;
            }

            datagram = datagram[(RecordHeaderLength + length)..];
        }

        return true;
    }

    public bool HasPending => _received.Count > 0;

    public int GetReceiveLimit() => MaxDatagramLength;

    public int GetSendLimit() => SendLimit;

    public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

    /// <summary>
    /// Waits up to <paramref name="waitMillis"/> (BouncyCastle's convention: zero means no limit) for a datagram;
    /// -1 when none came. Once the session is abandoned (deadline passed, or disposed), it throws, which ends the
    /// handshake at once instead of at BouncyCastle's next timeout.
    /// </summary>
    public int Receive(Span<byte> buffer, int waitMillis)
    {
        byte[]? datagram;
        try
        {
            if (!_received.TryTake(out datagram, waitMillis == 0 ? Timeout.Infinite : waitMillis, abandon))
            {
                return -1;
            }
        }
        catch (OperationCanceledException)
        {
            throw new DtlsAbandonedException();
        }

        if (datagram.Length > buffer.Length)
        {
            return -1;
        }

        datagram.CopyTo(buffer);
        return datagram.Length;
    }

    public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

    public void Send(ReadOnlySpan<byte> buffer)
    {
        if (!abandon.IsCancellationRequested)
        {
            send(buffer);
        }
    }

    public void Close()
    {
        // Closing is the session's business (it knows why); BouncyCastle calls this after close_notify or a failure.
    }
}

/// <summary>The session was given up (handshake deadline passed, or the owner disposed of it) while DTLS waited for a datagram.</summary>
internal sealed class DtlsAbandonedException() : IOException("The DTLS session was abandoned.");
