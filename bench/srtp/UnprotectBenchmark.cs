using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Nio.WebRtc.Srtp;
using Nio.WebRtc.Tests.Srtp;

namespace Nio.Bench.Srtp;

/// <summary>
/// SRTP unprotect of 1200-byte RTP packets on one thread: NIO's <see cref="SrtpContext"/> against Debian's libsrtp2 on
/// the same packets. A batch of consecutive packets of one SSRC is protected once; every iteration makes fresh
/// receivers (the replay window would refuse the batch a second time) and unprotects the whole batch, copying each
/// packet into the receive buffer first, as a socket read would.
/// </summary>
public class UnprotectBenchmark
{
    /// <summary>
    /// Packets per iteration: about 20 MB, so an iteration lasts long enough to time well and the packets come from
    /// memory, not from a cache that held them since the last pass, as a busy port's packets would.
    /// </summary>
    public const int BatchSize = 16_384;

    public const int RtpPacketLength = 1200;

    private const uint Ssrc = 0x1234_5678;

    private byte[][] _protected = [];
    private byte[] _receiveBuffer = [];
    private byte[] _masterKey = [];
    private byte[] _masterSalt = [];
    private SrtpContext? _nio;
    private LibSrtp? _libsrtp;

    [Params(SrtpProfile.AesCm128HmacSha1_80, SrtpProfile.AeadAes128Gcm)]
    public SrtpProfile Profile { get; set; }

    [GlobalSetup]
    public void MakePackets()
    {
        var random = new Random(5764);
        _masterKey = new byte[SrtpProfiles.KeyLength];
        _masterSalt = new byte[SrtpProfiles.SaltLength(Profile)];
        random.NextBytes(_masterKey);
        random.NextBytes(_masterSalt);
        var tag = SrtpProfiles.RtpOverhead(Profile);
        using var sender = new SrtpContext(Profile, _masterKey, _masterSalt);
        _protected = new byte[BatchSize][];
        for (var i = 0; i < BatchSize; i++)
        {
            var packet = new byte[RtpPacketLength + tag];
            random.NextBytes(packet.AsSpan(0, RtpPacketLength));
            // V=2, no padding, no extension, no CSRC; payload type 96 with the marker on every tenth packet.
            packet[0] = 0x80;
            packet[1] = (byte)(96 | (i % 10 == 9 ? 0x80 : 0));
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)(60_000 + i)); // crosses the sequence number wrap (the rollover counter)
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), (uint)(i / 10 * 3000));
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), Ssrc);
            Check(sender.ProtectRtp(packet, RtpPacketLength, out _), "protect");
            _protected[i] = packet;
        }

        _receiveBuffer = new byte[RtpPacketLength + tag];
    }

    [IterationSetup]
    public void FreshReceivers()
    {
        _nio?.Dispose();
        _libsrtp?.Dispose();
        _nio = new SrtpContext(Profile, _masterKey, _masterSalt);
        _libsrtp = new LibSrtp(Profile, _masterKey, _masterSalt, inbound: true);
    }

    [GlobalCleanup]
    public void Release()
    {
        _nio?.Dispose();
        _libsrtp?.Dispose();
    }

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int Nio()
    {
        var total = 0;
        foreach (var packet in _protected)
        {
            packet.CopyTo(_receiveBuffer, 0);
            Check(_nio!.UnprotectRtp(_receiveBuffer, out var length), "NIO unprotect");
            total += length;
        }

        return total;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize)]
    public int LibSrtp()
    {
        var total = 0;
        foreach (var packet in _protected)
        {
            packet.CopyTo(_receiveBuffer, 0);
            var length = _libsrtp!.UnprotectRtp(_receiveBuffer, _receiveBuffer.Length);
            if (length < 0)
            {
                throw new InvalidOperationException($"libsrtp unprotect failed: {-length}");
            }

            total += length;
        }

        return total;
    }

    private static void Check(SrtpStatus status, string what)
    {
        if (status != SrtpStatus.Ok)
        {
            throw new InvalidOperationException($"{what} failed: {status}");
        }
    }
}
