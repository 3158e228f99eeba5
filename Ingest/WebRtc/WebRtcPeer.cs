using System.Net;
using Nio.Ingest.Media;
using Nio.WebRtc.Dtls;
using Nio.WebRtc.Ice;
using Nio.WebRtc.Rtp;
using Nio.WebRtc.Rtp.Rtcp;
using Nio.WebRtc.Sdp;
using Nio.WebRtc.Srtp;

namespace Nio.Ingest.WebRtc;

/// <summary>What a WHIP publisher negotiated: where its media goes and which payload types carry what.</summary>
/// <param name="Video">The accepted H.264 section.</param>
/// <param name="Audio">The accepted Opus section, if any.</param>
public sealed record PeerMedia(OfferedMedia Video, OfferedMedia? Audio, IReadOnlyCollection<DtlsFingerprint> Fingerprints);

/// <summary>
/// One WHIP publisher on the WebRTC port, from its ICE checks to its media: the DTLS handshake on the first DTLS
/// datagram from a validated address, SRTP once the keys are out, the RTP tracks into the publication, and the RTCP it
/// is sent back (PLI, NACK, receiver reports, REMB). Its media state is touched only by the transport's receive thread;
/// <see cref="Close"/> may come from anywhere, once or many times, and <see cref="Closed"/> says why it ended.
/// </summary>
public sealed class WebRtcPeer
{
    /// <summary>Keyframe requests for loss are at most this frequent: one PLI already gets the next IDR on its way.</summary>
    private static readonly TimeSpan MinPliInterval = TimeSpan.FromMilliseconds(250);

    private static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(1);

    /// <summary>How often authenticated media renews the peer's consent (far below any consent timeout).</summary>
    private static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(1);

    private const int MaxNacksPerReport = 64;

    private readonly WebRtcTransport transport;
    private readonly PeerMedia media;
    private readonly WebRtcOptions options;
    private readonly TaskCompletionSource<string> closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly uint localSsrc = (uint)Random.Shared.NextInt64(1, uint.MaxValue);
    private readonly VideoTrackReceiver video;
    private readonly AudioTrackReceiver? audio;
    private readonly byte[] rtcp = new byte[1500];
    private readonly RtcpReportBlock[] reportBlocks = new RtcpReportBlock[2];
    private readonly uint[] rembSsrcs = new uint[2];
    private readonly ushort[] nacks = new ushort[MaxNacksPerReport];
    private readonly bool videoNacks;
    private DtlsSession? dtls;
    private IPEndPoint? dtlsEndpoint;
    private IPEndPoint? mediaEndpoint;
    private DtlsSrtpKeyingMaterial? keys;
    private SrtpContext? inbound;
    private SrtpContext? outbound;
    private TimeSpan secureSince;
    private TimeSpan lastPli = -TimeSpan.FromDays(1); // long ago, and far enough from MinValue to subtract from
    private TimeSpan nextReport;
    private TimeSpan nextKeepAlive;
    private bool keyframeWanted;
    private int closing;

    internal WebRtcPeer(WebRtcTransport transport, IceLiteSession ice, PeerMedia media, IMediaSink sink, WebRtcOptions options)
    {
        this.transport = transport;
        this.media = media;
        this.options = options;
        Ice = ice;
        video = new VideoTrackReceiver(sink);
        videoNacks = media.Video.RtcpFeedback.Contains("nack");
        if (media.Audio is not null)
        {
            var opus = TrackFormat.Opus(media.Audio.Codec!.Channels);
            // Announced before any frame: the hub tells the Transcoder a stream's codecs at its first video frame.
            sink.SetFormat(opus);
            audio = new AudioTrackReceiver(sink, opus);
        }
    }

    public IceLiteSession Ice { get; }

    /// <summary>Completes with the reason once the peer is closed.</summary>
    public Task<string> Closed => closed.Task;

    public bool IsClosed => Volatile.Read(ref closing) != 0;

    /// <summary>Whether the DTLS handshake finished (SRTP keys known).</summary>
    public bool IsSecured => Volatile.Read(ref keys) is not null;

    /// <summary>Ends the peer: its ICE session stops being answered, DTLS says close_notify, its media state is freed.</summary>
    public void Close(string reason)
    {
        if (Interlocked.Exchange(ref closing, 1) != 0)
        {
            return;
        }

        transport.Retire(this);
        Volatile.Read(ref dtls)?.Dispose();
        closed.TrySetResult(reason);
    }

    /// <summary>A DTLS datagram from a validated address of this peer (receive thread).</summary>
    internal void OnDtls(ReadOnlySpan<byte> datagram, IPEndPoint remote)
    {
        Volatile.Write(ref dtlsEndpoint, remote);
        if (dtls is null)
        {
            // Refused while the server runs its most handshakes at once: the ClientHello's retransmission tries again.
            if (!transport.Dtls.TryAccept(media.Fingerprints, SendDtls, out var session))
            {
                return;
            }

            Volatile.Write(ref dtls, session);
            session.Connected.ContinueWith(done => Volatile.Write(ref keys, done.Result),
                CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            session.Closed.ContinueWith(done => Close($"DTLS ended: {done.Result.Reason} ({done.Result.Detail})"),
                CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            if (IsClosed)
            {
                session.Dispose();
                return;
            }
        }

        dtls.Receive(datagram);
    }

    /// <summary>An SRTP or SRTCP packet from a validated address, unprotected in place (receive thread).</summary>
    internal void OnSrtp(Span<byte> datagram, IPEndPoint remote, TimeSpan now)
    {
        if (inbound is null && !TryStartSrtp(now))
        {
            return; // Media before the handshake finished cannot be read.
        }

        mediaEndpoint = remote;
        // RFC 5761 §4: with RTP and RTCP on one port, packet types 192–223 in the second byte are RTCP.
        if (datagram.Length >= 2 && datagram[1] is >= 192 and <= 223)
        {
            if (inbound!.UnprotectRtcp(datagram, out var length) == SrtpStatus.Ok)
            {
                KeepAlive(now);
                ReadRtcp(datagram[..length], now);
            }

            return;
        }

        if (inbound!.UnprotectRtp(datagram, out var rtpLength) != SrtpStatus.Ok)
        {
            return;
        }

        KeepAlive(now);
        if (!RtpHeader.TryParse(datagram[..rtpLength], out var header))
        {
            return;
        }

        var packet = datagram[..rtpLength];
        if (header.PayloadType == media.Video.Codec!.PayloadType)
        {
            video.Receive(packet, header, now);
        }
        else if (header.PayloadType == media.Video.RtxPayloadType)
        {
            ReceiveRetransmission(packet, header, now);
        }
        else if (audio is not null && header.PayloadType == media.Audio!.Codec!.PayloadType)
        {
            audio.Receive(packet, header, now);
        }
    }

    /// <summary>Timers of the receive thread, every few milliseconds: late packets, NACKs, keyframe requests, reports.</summary>
    internal void OnTick(TimeSpan now)
    {
        if (inbound is null && !TryStartSrtp(now))
        {
            return;
        }

        video.Drain(now);
        audio?.Drain(now);
        keyframeWanted |= video.TakeKeyframeRequest();
        audio?.TakeKeyframeRequest();
        var videoSsrc = video.Ssrc ?? media.Video.Ssrc;

        // Asked for: at the start, after a loss that broke a picture, and when no keyframe came for a segment's length
        // (a browser sends few unasked, and the Transcoder can cut a segment only at one).
        var sinceKeyframe = now - (video.LastKeyframe ?? secureSince);
        var pli = videoSsrc is not null && now - lastPli >= MinPliInterval
            && (keyframeWanted || (sinceKeyframe >= options.KeyframeInterval && now - lastPli >= options.KeyframeInterval));
        var nackCount = videoNacks && videoSsrc is not null ? video.CollectNacks(now, nacks) : 0;
        var report = now >= nextReport;
        if (!pli && nackCount == 0 && !report)
        {
            return;
        }

        // Every RTCP packet sent is compound, led by a receiver report (RFC 3550 §6.1); its blocks once a second.
        var blocks = 0;
        if (report)
        {
            nextReport = now + ReportInterval;
            AddBlock(video.CreateReportBlock(now), ref blocks);
            AddBlock(audio?.CreateReportBlock(now), ref blocks);
        }

        var span = rtcp.AsSpan(0, rtcp.Length - SrtpProfiles.RtcpOverhead(outbound!.Profile));
        var length = RtcpWriter.WriteReceiverReport(span, localSsrc, reportBlocks.AsSpan(0, blocks));
        if (report)
        {
            // REMB caps what the browser's bandwidth estimate lets it send (draft-alvestrand-rmcat-remb).
            var ssrcs = 0;
            if (videoSsrc is { } v)
            {
                rembSsrcs[ssrcs++] = v;
            }

            if (audio?.Ssrc is { } a)
            {
                rembSsrcs[ssrcs++] = a;
            }

            length += RtcpWriter.WriteReceiverEstimatedMaximumBitrate(span[length..], localSsrc, (ulong)options.MaxBitrateKbps * 1000, rembSsrcs.AsSpan(0, ssrcs));
        }

        if (pli)
        {
            lastPli = now;
            keyframeWanted = false;
            length += RtcpWriter.WritePictureLossIndication(span[length..], localSsrc, videoSsrc!.Value);
        }

        if (nackCount > 0)
        {
            length += RtcpWriter.WriteGenericNack(span[length..], localSsrc, videoSsrc!.Value, nacks.AsSpan(0, nackCount));
        }

        var to = Ice.SelectedEndpoint ?? mediaEndpoint;
        if (to is not null && outbound.ProtectRtcp(rtcp, length, out var protectedLength) == SrtpStatus.Ok)
        {
            transport.Send(rtcp.AsSpan(0, protectedLength), to);
        }
    }

    /// <summary>Frees the media state; on the receive thread, once the peer is closed.</summary>
    internal void ReleaseMedia()
    {
        video.Dispose();
        audio?.Dispose();
        inbound?.Dispose();
        outbound?.Dispose();
    }

    /// <summary>Media that passed SRTP authentication shows the peer is there, as its ICE checks do.</summary>
    private void KeepAlive(TimeSpan now)
    {
        if (now >= nextKeepAlive)
        {
            nextKeepAlive = now + KeepAliveInterval;
            transport.Agent.KeepAlive(Ice);
        }
    }

    private void AddBlock(RtcpReportBlock? block, ref int count)
    {
        if (block is { } value)
        {
            reportBlocks[count++] = value;
        }
    }

    private bool TryStartSrtp(TimeSpan now)
    {
        if (Volatile.Read(ref keys) is not { } secured)
        {
            return false;
        }

        // The browser is the DTLS client: it protects with the client write keys, this side with the server's.
        var srtp = secured.CreateSrtpSession();
        inbound = srtp.Inbound;
        outbound = srtp.Outbound;
        secureSince = now;
        keyframeWanted = true;
        nextReport = now;
        return true;
    }

    private void SendDtls(ReadOnlySpan<byte> datagram)
    {
        if (Volatile.Read(ref dtlsEndpoint) is { } to)
        {
            transport.Send(datagram, to);
        }
    }

    /// <summary>
    /// RTX (RFC 4588 §4): the original sequence number (OSN) leads the payload. The original packet is rebuilt in place
    /// (header moved over the OSN, payload type, sequence number and SSRC put back) for the receive buffer.
    /// </summary>
    private void ReceiveRetransmission(Span<byte> packet, in RtpHeader header, TimeSpan now)
    {
        // Padding-only RTX packets are the browser probing for bandwidth: nothing to put back.
        if (header.PayloadLength < 2 || video.Ssrc is not { } ssrc)
        {
            return;
        }

        var originalSequence = (ushort)(packet[header.HeaderLength] << 8 | packet[header.HeaderLength + 1]);
        packet[..header.HeaderLength].CopyTo(packet[2..]);
        var original = packet[2..];
        original[1] = (byte)((original[1] & 0x80) | media.Video.Codec!.PayloadType);
        original[2] = (byte)(originalSequence >> 8);
        original[3] = (byte)originalSequence;
        original[8] = (byte)(ssrc >> 24);
        original[9] = (byte)(ssrc >> 16);
        original[10] = (byte)(ssrc >> 8);
        original[11] = (byte)ssrc;
        if (RtpHeader.TryParse(original, out var rebuilt))
        {
            video.Receive(original, rebuilt, now);
        }
    }

    private void ReadRtcp(ReadOnlySpan<byte> compound, TimeSpan now)
    {
        var reader = new RtcpCompoundReader(compound);
        while (reader.TryRead(out var packet))
        {
            if (RtcpSenderReport.TryRead(packet, out var report))
            {
                video.OnSenderReport(report.Ssrc, report.NtpTimestamp, now);
                audio?.OnSenderReport(report.Ssrc, report.NtpTimestamp, now);
            }
        }
    }
}
