using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Nio.Ingest.Streams;
using Nio.Ingest.WebRtc;
using Nio.WebRtc.Ice;
using Nio.WebRtc.Sdp;

namespace Nio.Ingest.Whip;

/// <summary>Why a WHIP session was not started, beyond the hub's refusals.</summary>
public enum WhipRefusal
{
    Admission,

    /// <summary><see cref="WebRtcOptions.MaxSessions"/> are open.</summary>
    Full,
}

/// <summary>A started session with its SDP answer, or why there is none.</summary>
public readonly record struct WhipStart(WhipSession? Session, string? Answer, WhipRefusal? Refusal, AdmissionRefusal? AdmissionRefusal);

/// <summary>
/// The WHIP sessions of this Ingest (RFC 9725 §4.2): each admitted by the <see cref="MediaHub"/> like any publisher,
/// carried by a <see cref="WebRtcPeer"/> on the WebRTC port, and ended, whatever ends it (DELETE, consent lost, DTLS
/// closed, taken over, stream ended), the one way an RTMP publisher's leaving ends it: its publication is disposed.
/// </summary>
public sealed partial class WhipSessions(MediaHub hub, WebRtcTransport transport, ILogger<WhipSessions> logger)
{
    private readonly ConcurrentDictionary<string, WhipSession> sessions = new(StringComparer.Ordinal);

    public bool TryGet(string id, out WhipSession session) => sessions.TryGetValue(id, out session!);

    public async Task<WhipStart> StartAsync(WhipOffer offer, PeerMedia media, string streamKey, IPAddress client, CancellationToken cancellationToken)
    {
        // Checked first as well, so a full Ingest does not report a stream live for a moment.
        if (transport.Agent.SessionCount >= transport.MaxSessions)
        {
            return new WhipStart(null, null, WhipRefusal.Full, null);
        }

        var session = new WhipSession(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), streamKey);
        var admission = await hub.AdmitAsync(streamKey, client, session.Stop, cancellationToken);
        if (admission.Publication is not { } publication)
        {
            return new WhipStart(null, null, WhipRefusal.Admission, admission.Refusal);
        }

        if (!transport.Agent.TryOpen(offer.IceUfrag, out var ice))
        {
            await publication.DisposeAsync();
            return new WhipStart(null, null, WhipRefusal.Full, null);
        }

        var peer = transport.Open(ice, media, publication);
        sessions[session.Id] = session;
        session.Ended = RunAsync(session, peer, publication);
        var answer = WhipAnswer.Create(offer, new WhipAnswerParameters(
            ice.Local, transport.Dtls.Certificate.Fingerprint, transport.Addresses, transport.Port));
        LogStarted(session.Id, publication.Owner.StreamId, client);
        return new WhipStart(session, answer, null, null);
    }

    private async Task RunAsync(WhipSession session, WebRtcPeer peer, Publication publication)
    {
        session.Attach(peer);
        var reason = await peer.Closed;
        sessions.TryRemove(new KeyValuePair<string, WhipSession>(session.Id, session));
        await publication.DisposeAsync();
        LogEnded(session.Id, publication.Owner.StreamId, reason);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "WHIP {SessionId} publishing stream {StreamId} from {Client}")]
    private partial void LogStarted(string sessionId, Guid streamId, IPAddress client);

    [LoggerMessage(Level = LogLevel.Information, Message = "WHIP {SessionId} stopped publishing stream {StreamId}: {Reason}")]
    private partial void LogEnded(string sessionId, Guid streamId, string reason);
}

/// <summary>One WHIP session resource (<c>/whip/{id}</c>): its publisher's key, its ETag and its peer.</summary>
public sealed class WhipSession(string id, string streamKey)
{
    private readonly Lock gate = new();
    private WebRtcPeer? peer;
    private string? stopReason;

    /// <summary>Random, 128 bits: the resource's URL is not guessable.</summary>
    public string Id { get; } = id;

    public string StreamKey { get; } = streamKey;

    /// <summary>The ICE session's tag (RFC 9725 §4.3.1), quoted as the header carries it.</summary>
    public string ETag => $"\"{Peer.Ice.Local.Ufrag}\"";

    public WebRtcPeer Peer => peer ?? throw new InvalidOperationException("The session has no peer yet.");

    /// <summary>Completes once the session ended and the broadcast with it (the Api told it went offline).</summary>
    public Task Ended { get; internal set; } = Task.CompletedTask;

    /// <summary>Ends the session (the hub's stop: taken over, key rotated, stream ended), even before its peer exists.</summary>
    public void Stop(string reason)
    {
        lock (gate)
        {
            stopReason ??= reason;
        }

        peer?.Close(reason);
    }

    internal void Attach(WebRtcPeer attached)
    {
        string? reason;
        lock (gate)
        {
            peer = attached;
            reason = stopReason;
        }

        if (reason is not null)
        {
            attached.Close(reason);
        }
    }
}
