using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Nio.WebRtc.Dtls;
using Nio.WebRtc.Ice;

namespace Nio.WebRtc.Sdp;

/// <summary>What NIO's side of a WHIP session brings to the answer.</summary>
/// <param name="Ice">The session's local ICE credentials (from <see cref="IceLiteSession.Local"/>).</param>
/// <param name="Fingerprint">The fingerprint of NIO's DTLS certificate.</param>
/// <param name="Addresses">The addresses the UDP port is reachable on, in order of preference: one host candidate each.</param>
/// <param name="Port">The one UDP port of every session.</param>
public sealed record WhipAnswerParameters(IceCredentials Ice, DtlsFingerprint Fingerprint, IReadOnlyList<IPAddress> Addresses, int Port);

/// <summary>
/// Writes the SDP answer to a <see cref="WhipOffer"/> (RFC 9725 §4.2, JSEP RFC 8829 §5.3): ICE-lite, passive DTLS,
/// BUNDLE with rtcp-mux, receive-only, one H.264 and one Opus payload type; every other section with port 0.
/// </summary>
public static class WhipAnswer
{
    public static string Create(WhipOffer offer, WhipAnswerParameters parameters)
    {
        if (parameters.Addresses.Count == 0 || parameters.Port is < 1 or > 65535)
        {
            throw new ArgumentException("The answer needs at least one address and the UDP port.", nameof(parameters));
        }

        var fingerprint = parameters.Fingerprint.ToString();
        var candidates = parameters.Addresses.Select((address, index) => IceCandidate.Host(address, parameters.Port, index)).ToList();
        var accepted = offer.Media.Where(m => m.Accepted).ToList();
        var sdp = new StringBuilder();

        // o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>: "-" and a random 62-bit id,
        // as JSEP §5.2.1 asks ("the <sess-id> MUST be representable by a 64-bit signed integer").
        var sessionId = RandomNumberGenerator.GetInt32(int.MaxValue) * (long)int.MaxValue + RandomNumberGenerator.GetInt32(int.MaxValue);
        Line(sdp, "v=0");
        Line(sdp, string.Create(CultureInfo.InvariantCulture, $"o=- {sessionId} 2 IN IP4 127.0.0.1"));
        Line(sdp, "s=-");
        Line(sdp, "t=0 0");

        // The answer's BUNDLE group lists the accepted sections the offer bundled; rejected ones leave it (RFC 8843 §7.3.3).
        var bundled = accepted.Where(m => m.Mid is not null && offer.BundleMids.Contains(m.Mid)).Select(m => m.Mid!).ToList();
        if (bundled.Count > 0)
        {
            Line(sdp, $"a=group:BUNDLE {string.Join(' ', bundled)}");
        }

        // "a=ice-lite" is a session-level attribute (RFC 8839 §5.3).
        Line(sdp, "a=ice-lite");

        foreach (var media in offer.Media)
        {
            if (media.Accepted)
            {
                WriteAccepted(sdp, media, parameters, fingerprint, candidates);
            }
            else
            {
                // JSEP §5.3.1: a rejected m= section keeps its media type and proto, with port 0 and at least one format.
                Line(sdp, $"m={media.Kind} 0 {media.Proto} {media.FirstFormat}");
                Line(sdp, "c=IN IP4 0.0.0.0");
                if (media.Mid is not null)
                {
                    Line(sdp, $"a=mid:{media.Mid}");
                }
            }
        }

        return sdp.ToString();
    }

    private static void WriteAccepted(StringBuilder sdp, OfferedMedia media, WhipAnswerParameters parameters, string fingerprint, List<IceCandidate> candidates)
    {
        var codec = media.Codec!;
        var formats = media.RtxPayloadType is { } rtx ? $"{codec.PayloadType} {rtx}" : $"{codec.PayloadType}";

        // Every bundled section repeats the one transport: same port, ICE credentials, fingerprint and candidates
        // (JSEP §5.3.1: "Bundled m= sections MUST contain identical ICE credentials and candidates").
        var first = parameters.Addresses[0];
        Line(sdp, string.Create(CultureInfo.InvariantCulture, $"m={media.Kind} {parameters.Port} {media.Proto} {formats}"));
        Line(sdp, $"c=IN {(first.AddressFamily == AddressFamily.InterNetworkV6 ? "IP6" : "IP4")} {first}");
        if (media.Mid is not null)
        {
            Line(sdp, $"a=mid:{media.Mid}");
        }

        Line(sdp, $"a=ice-ufrag:{parameters.Ice.Ufrag}");
        Line(sdp, $"a=ice-pwd:{parameters.Ice.Password}");
        Line(sdp, $"a=fingerprint:{fingerprint}");
        Line(sdp, "a=setup:passive");
        Line(sdp, "a=recvonly");
        Line(sdp, "a=rtcp-mux");
        var channels = codec.Channels > 1 ? string.Create(CultureInfo.InvariantCulture, $"/{codec.Channels}") : "";
        Line(sdp, string.Create(CultureInfo.InvariantCulture, $"a=rtpmap:{codec.PayloadType} {codec.EncodingName}/{codec.ClockRate}{channels}"));
        foreach (var feedback in media.RtcpFeedback)
        {
            Line(sdp, string.Create(CultureInfo.InvariantCulture, $"a=rtcp-fb:{codec.PayloadType} {feedback}"));
        }

        if (codec.FormatParameters is not null)
        {
            Line(sdp, string.Create(CultureInfo.InvariantCulture, $"a=fmtp:{codec.PayloadType} {codec.FormatParameters}"));
        }

        if (media.RtxPayloadType is { } rtxType)
        {
            Line(sdp, string.Create(CultureInfo.InvariantCulture, $"a=rtpmap:{rtxType} rtx/{codec.ClockRate}"));
            Line(sdp, string.Create(CultureInfo.InvariantCulture, $"a=fmtp:{rtxType} apt={codec.PayloadType}"));
        }

        foreach (var candidate in candidates)
        {
            Line(sdp, $"a=candidate:{candidate}");
        }

        // All candidates are in the answer: no trickling from this side (RFC 8838 §4.4, RFC 8840 §4.1).
        Line(sdp, "a=end-of-candidates");
    }

    private static void Line(StringBuilder sdp, string line) => sdp.Append(line).Append("\r\n");
}
