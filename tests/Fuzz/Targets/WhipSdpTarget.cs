using System.Net;
using System.Text;
using Nio.Fuzz.Engine;
using Nio.WebRtc.Dtls;
using Nio.WebRtc.Ice;
using Nio.WebRtc.Sdp;

namespace Nio.Fuzz.Targets;

/// <summary>
/// The bodies a WHIP client sends: as a POST's offer, <see cref="WhipOffer.Parse"/> and, when it is accepted,
/// <see cref="WhipAnswer.Create"/>; as a PATCH's trickle ICE fragment, <see cref="TrickleIceFragment.Parse"/>.
/// Malformed or unacceptable input must end in <see cref="SdpException"/>; an answer must be SDP that parses again,
/// with one m= section for each of the offer's, so nothing the offer carried can add a line to it.
/// </summary>
public sealed class WhipSdpTarget : FuzzTarget
{
    private static readonly WhipAnswerParameters Parameters = new(
        new IceCredentials("n10a", "0123456789abcdefghijklmn"), DtlsFingerprint.Sha256("certificate"u8), [IPAddress.Parse("203.0.113.5"), IPAddress.Parse("2001:db8::5")], 8189);

    public override string Name => "whip-sdp";

    public override int MaxInputLength => SessionDescription.MaxLength + 1024;

    public override IReadOnlyList<byte[]> Dictionary { get; } = Tokens(
        "\r\n", "\n", "v=0", "m=video 9 UDP/TLS/RTP/SAVPF ", "m=audio 9 UDP/TLS/RTP/SAVPF ", "a=group:BUNDLE 0 1", "a=mid:",
        "a=ice-ufrag:", "a=ice-pwd:", "a=fingerprint:sha-256 ", "a=setup:actpass", "a=setup:active", "a=setup:passive", "a=rtcp-mux",
        "a=sendonly", "a=recvonly", "a=inactive", "a=rtpmap:", " H264/90000", " opus/48000/2", " VP8/90000", "a=fmtp:",
        "packetization-mode=1", "profile-level-id=42e01f", "level-asymmetry-allowed=1", "a=rtcp-fb:", " nack pli", " goog-remb",
        "a=ssrc:", " cname:", "a=ssrc-group:FID ", "a=msid:", "a=extmap:", "a=candidate:", " typ host", " typ srflx", " raddr ",
        " rport ", " udp ", " tcp ", "a=end-of-candidates", "a=ice-options:trickle", "a=rtx", "65535", "4294967295", "AB:");

    public override void Run(ReadOnlySpan<byte> input)
    {
        var text = Encoding.UTF8.GetString(input);
        try
        {
            var offer = WhipOffer.Parse(text);
            _ = (offer.Video, offer.Audio, offer.Candidates.Count, offer.Fingerprints.Count);
            var answer = WhipAnswer.Create(offer, Parameters);
            var parsed = SessionDescription.Parse(answer);
            if (parsed.Media.Count != offer.Media.Count)
            {
                throw new InvariantViolatedException($"the answer has {parsed.Media.Count} m= sections for the offer's {offer.Media.Count}");
            }
        }
        catch (SdpException)
        {
            // Refused: the Ingest answers 400 or 422 with the reason.
        }

        var fragment = TrickleIceFragment.Parse(text);
        _ = (fragment.IceUfrag, fragment.IcePassword, fragment.Candidates.Count, fragment.EndOfCandidates, fragment.IsIceRestart("H82V"));
        foreach (var candidate in fragment.Candidates)
        {
            _ = candidate.ToString();
        }
    }

    public override bool IsRejection(Exception exception) => exception is SdpException;
}
