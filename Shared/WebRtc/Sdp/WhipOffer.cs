using System.Globalization;
using Nio.WebRtc.Dtls;

namespace Nio.WebRtc.Sdp;

/// <summary>Why a media section of an offer is answered with port 0.</summary>
public enum MediaRejection
{
    None,

    /// <summary>Not audio or video over UDP/TLS/RTP/SAVPF (data channels, say).</summary>
    NotRtp,

    /// <summary>Port 0 in the offer, or a direction that sends nothing (recvonly, inactive).</summary>
    NotSending,

    /// <summary>Video without H.264 in packetization-mode 1.</summary>
    NoH264,

    /// <summary>Audio without Opus at 48000/2.</summary>
    NoOpus,

    /// <summary>A second video or audio section: NIO takes one of each.</summary>
    ExtraSection,
}

/// <summary>The payload format chosen from a media section (RFC 8866 §6.6 rtpmap, §6.15 fmtp).</summary>
public sealed record ChosenCodec(int PayloadType, string EncodingName, int ClockRate, int Channels, string? FormatParameters);

/// <summary>One media section of an offer, in offer order, with what NIO makes of it.</summary>
public sealed record OfferedMedia(
    int Index,
    string Kind,
    string Proto,
    string FirstFormat,
    string? Mid,
    MediaRejection Rejection,
    ChosenCodec? Codec,
    int? RtxPayloadType,
    IReadOnlyList<string> RtcpFeedback,
    uint? Ssrc,
    uint? RtxSsrc)
{
    public bool Accepted => Rejection == MediaRejection.None;
}

/// <summary>
/// A WHIP publisher's SDP offer as NIO reads it: the ICE credentials and DTLS fingerprints to check the peer with,
/// and per media section whether it is received and with which payload types and SSRCs. <see cref="Parse"/> throws
/// <see cref="SdpException"/> with a reason for an offer that cannot be answered.
/// </summary>
public sealed class WhipOffer
{
    /// <summary>The RTCP feedback NIO acts on (RFC 4585 NACK and PLI, RFC 5104 FIR, REMB); other kinds are left out of the answer.</summary>
    public static readonly IReadOnlyList<string> SupportedRtcpFeedback = ["nack", "nack pli", "ccm fir", "goog-remb"];

    private WhipOffer(string iceUfrag, string icePassword, IReadOnlyList<DtlsFingerprint> fingerprints, IReadOnlyList<string> bundle,
        IReadOnlyList<OfferedMedia> media, IReadOnlyList<IceCandidate> candidates)
    {
        IceUfrag = iceUfrag;
        IcePassword = icePassword;
        Fingerprints = fingerprints;
        BundleMids = bundle;
        Media = media;
        Candidates = candidates;
    }

    public string IceUfrag { get; }

    public string IcePassword { get; }

    /// <summary>
    /// The fingerprints offered with a hash function NIO checks (sha-256, sha-384, sha-512); the client certificate must
    /// match one of them. Others (sha-1, md5…) are left out, as RFC 8122 §5 lets an endpoint pick the functions it uses.
    /// </summary>
    public IReadOnlyList<DtlsFingerprint> Fingerprints { get; }

    /// <summary>The mids of the offer's first BUNDLE group; empty when it has none.</summary>
    public IReadOnlyList<string> BundleMids { get; }

    /// <summary>Every media section in offer order, accepted or not: the answer has one per offered section.</summary>
    public IReadOnlyList<OfferedMedia> Media { get; }

    /// <summary>The candidates the offer already carries (a non-trickle client gathers before it posts).</summary>
    public IReadOnlyList<IceCandidate> Candidates { get; }

    public OfferedMedia? Video => Media.FirstOrDefault(m => m.Accepted && m.Kind == "video");

    public OfferedMedia? Audio => Media.FirstOrDefault(m => m.Accepted && m.Kind == "audio");

    public static WhipOffer Parse(string sdp)
    {
        var description = SessionDescription.Parse(sdp);
        var media = new List<OfferedMedia>();
        foreach (var section in description.Media)
        {
            media.Add(Read(section, media.Count, media));
        }

        var accepted = media.Where(m => m.Accepted).ToList();
        if (accepted.Count == 0)
        {
            throw new SdpException(SdpError.NoAcceptableMedia,
                $"Nothing NIO can receive: video needs H.264 with packetization-mode=1, audio needs Opus 48000/2 ({Describe(media)}).");
        }

        var acceptedSections = accepted.Select(m => description.Media[m.Index]).ToList();

        // Values at media level override the session level's (RFC 8839 §5.4, RFC 8122 §5); bundled sections share
        // one transport, so the first accepted one's are the transport's (RFC 8843 §7.1.3).
        var transport = acceptedSections[0];
        var ufrag = transport.Attribute("ice-ufrag") ?? description.Attribute("ice-ufrag");
        var password = transport.Attribute("ice-pwd") ?? description.Attribute("ice-pwd");
        if (ufrag is null || password is null)
        {
            throw new SdpException(SdpError.NoIceCredentials, "The offer has no a=ice-ufrag and a=ice-pwd.");
        }

        if (!Ice.IceCredentials.IsValidUfrag(ufrag) || !Ice.IceCredentials.IsValidPassword(password))
        {
            throw new SdpException(SdpError.NoIceCredentials, "The offer's ICE credentials are not 4-256 (ufrag) and 22-256 (pwd) ice-chars.");
        }

        var fingerprintValues = transport.AttributeValues("fingerprint").ToList();
        if (fingerprintValues.Count == 0)
        {
            fingerprintValues = description.Attributes.Where(a => a.Name == "fingerprint").Select(a => a.Value).ToList();
        }

        if (fingerprintValues.Count == 0)
        {
            throw new SdpException(SdpError.NoFingerprint, "The offer has no a=fingerprint: the DTLS peer could not be verified.");
        }

        var fingerprints = new List<DtlsFingerprint>();
        foreach (var value in fingerprintValues)
        {
            if (DtlsFingerprint.TryParse(value, out var fingerprint))
            {
                fingerprints.Add(fingerprint!);
            }
            else if (DtlsFingerprint.IsAccepted(HashFunction(value)))
            {
                throw new SdpException(SdpError.Malformed, $"Not a fingerprint: 'a=fingerprint:{SessionDescription.Excerpt(value)}'.");
            }
        }

        if (fingerprints.Count == 0)
        {
            throw new SdpException(SdpError.NoFingerprint, "The offer's a=fingerprint uses no hash NIO accepts (sha-256, sha-384, sha-512).");
        }

        // NIO always takes the DTLS server role and answers a=setup:passive, so the offerer must be able to be the
        // client: "actpass" or "active" (RFC 8842 §5.2); an offer without the attribute means "active" (RFC 4145 §4).
        var setup = transport.Attribute("setup") ?? description.Attribute("setup") ?? "active";
        if (setup is not ("actpass" or "active"))
        {
            throw new SdpException(SdpError.SetupConflict, $"The offer says a=setup:{SessionDescription.Excerpt(setup)}; NIO answers passive and needs 'actpass' or 'active'.");
        }

        var bundle = description.Attributes
            .Where(a => a.Name == "group" && a.Value.StartsWith("BUNDLE", StringComparison.Ordinal))
            .Select(a => a.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList())
            .FirstOrDefault() ?? [];

        // Everything arrives on one port: with more than one section received, each must be in the BUNDLE group.
        if (accepted.Count > 1 && accepted.Any(m => m.Mid is null || !bundle.Contains(m.Mid)))
        {
            throw new SdpException(SdpError.NotBundled, "The offer's audio and video are not in one a=group:BUNDLE; NIO receives both on one port.");
        }

        // "RTP and RTCP packets are multiplexed on a single port" needs rtcp-mux in the offer (RFC 8858, RFC 5761 §5.1.1).
        if (acceptedSections.Any(section => !section.HasAttribute("rtcp-mux")))
        {
            throw new SdpException(SdpError.NoRtcpMux, "The offer lacks a=rtcp-mux; NIO receives RTCP on the RTP port.");
        }

        var candidates = new List<IceCandidate>();
        foreach (var value in acceptedSections.SelectMany(section => section.AttributeValues("candidate")).Take(64))
        {
            if (IceCandidate.TryParse(value, out var candidate))
            {
                candidates.Add(candidate!);
            }
        }

        return new WhipOffer(ufrag, password, fingerprints, bundle, media, candidates);
    }

    private static OfferedMedia Read(MediaDescription section, int index, List<OfferedMedia> earlier)
    {
        var mid = section.Attribute("mid");
        var firstFormat = section.Formats.Count > 0 ? section.Formats[0] : "0";
        OfferedMedia Rejected(MediaRejection why) => new(index, section.Media, section.Proto, firstFormat, mid, why, null, null, [], null, null);

        if (section.Media is not ("audio" or "video") || !section.Proto.EndsWith("RTP/SAVPF", StringComparison.Ordinal))
        {
            return Rejected(MediaRejection.NotRtp);
        }

        // The offerer must send: direction sendrecv (the default) or sendonly (RFC 8866 §6.7). Port 0 rejects a
        // section unless it is "bundle-only" (RFC 8843 §6), as GStreamer's webrtcbin offers its second section.
        var disabled = section.Port == 0 && !section.HasAttribute("bundle-only");
        if (disabled || section.HasAttribute("recvonly") || section.HasAttribute("inactive"))
        {
            return Rejected(MediaRejection.NotSending);
        }

        if (earlier.Any(m => m.Accepted && m.Kind == section.Media))
        {
            return Rejected(MediaRejection.ExtraSection);
        }

        var codecs = ReadCodecs(section);
        var chosen = section.Media == "video" ? ChooseH264(codecs) : ChooseOpus(codecs);
        if (chosen is null)
        {
            return Rejected(section.Media == "video" ? MediaRejection.NoH264 : MediaRejection.NoOpus);
        }

        // RTX (RFC 4588) for the chosen type: rtx/<clock> with fmtp apt=<type>; red and ulpfec are not taken.
        var rtx = codecs.FirstOrDefault(c => c.EncodingName.Equals("rtx", StringComparison.OrdinalIgnoreCase)
            && FormatParameter(c.FormatParameters, "apt") == chosen.PayloadType.ToString(CultureInfo.InvariantCulture));

        var chosenType = chosen.PayloadType.ToString(CultureInfo.InvariantCulture);
        var feedback = section.AttributeValues("rtcp-fb")
            .Select(value => value.Split(' ', 2))
            .Where(parts => parts.Length == 2 && (parts[0] == chosenType || parts[0] == "*"))
            .Select(parts => parts[1].Trim())
            .Where(SupportedRtcpFeedback.Contains)
            .Distinct()
            .ToList();

        var (ssrc, rtxSsrc) = ReadSsrcs(section);
        return new OfferedMedia(index, section.Media, section.Proto, firstFormat, mid, MediaRejection.None, chosen, rtx?.PayloadType, feedback, ssrc, rtxSsrc);
    }

    /// <summary>Every payload type of the m= line that has an rtpmap, in the offerer's order of preference.</summary>
    private static List<ChosenCodec> ReadCodecs(MediaDescription section)
    {
        var codecs = new List<ChosenCodec>();
        foreach (var format in section.Formats)
        {
            // a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>] (RFC 8866 §6.6)
            var rtpmap = section.AttributeValues("rtpmap").FirstOrDefault(v => v.StartsWith(format + " ", StringComparison.Ordinal));
            var parts = rtpmap?[(format.Length + 1)..].Trim().Split('/');
            if (parts is not { Length: >= 2 } || !int.TryParse(format, NumberStyles.None, CultureInfo.InvariantCulture, out var payloadType)
                || payloadType > 127 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var clock))
            {
                continue;
            }

            var channels = parts.Length >= 3 && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : 1;
            var fmtp = section.AttributeValues("fmtp").FirstOrDefault(v => v.StartsWith(format + " ", StringComparison.Ordinal));
            codecs.Add(new ChosenCodec(payloadType, parts[0], clock, channels, fmtp?[(format.Length + 1)..].Trim()));
        }

        return codecs;
    }

    /// <summary>
    /// H.264 in packetization-mode 1 (FU-A and STAP-A, RFC 6184 §6.3), preferring constrained baseline, then
    /// baseline, main and high (lower latency first: no B-frames), then the offerer's order.
    /// </summary>
    private static ChosenCodec? ChooseH264(List<ChosenCodec> codecs) => codecs
        .Where(c => c.EncodingName.Equals("H264", StringComparison.OrdinalIgnoreCase) && c.ClockRate == 90000
            && FormatParameter(c.FormatParameters, "packetization-mode") == "1")
        .Select((codec, order) => (codec, order))
        .OrderBy(x => ProfileRank(FormatParameter(x.codec.FormatParameters, "profile-level-id")))
        .ThenBy(x => x.order)
        .Select(x => x.codec)
        .FirstOrDefault();

    private static ChosenCodec? ChooseOpus(List<ChosenCodec> codecs) => codecs.FirstOrDefault(c =>
        c.EncodingName.Equals("opus", StringComparison.OrdinalIgnoreCase) && c.ClockRate == 48000 && c.Channels == 2);

    // profile-level-id = profile_idc, profile-iop, level_idc as hex (RFC 6184 §8.1); absent means 42000A, baseline.
    private static int ProfileRank(string? profileLevelId)
    {
        if (profileLevelId is not { Length: 6 } || !int.TryParse(profileLevelId.AsSpan(0, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var profile))
        {
            return profileLevelId is null ? 1 : 4;
        }

        var (idc, iop) = (profile >> 8, profile & 0xFF);
        return idc switch
        {
            0x42 when (iop & 0x40) != 0 => 0, // constraint_set1_flag: constrained baseline
            0x42 => 1,
            0x4D => 2,
            0x64 => 3,
            _ => 4,
        };
    }

    /// <summary>One <c>name=value</c> of an fmtp parameter list separated by ';'.</summary>
    internal static string? FormatParameter(string? parameters, string name)
    {
        foreach (var parameter in (parameters ?? "").Split(';'))
        {
            var equals = parameter.IndexOf('=');
            if (equals > 0 && parameter.AsSpan(0, equals).Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return parameter[(equals + 1)..].Trim();
            }
        }

        return null;
    }

    /// <summary>
    /// The media SSRC and its retransmission SSRC: a=ssrc:&lt;ssrc&gt; lines (RFC 5576 §4.1) and a=ssrc-group:FID
    /// &lt;primary&gt; &lt;rtx&gt; (RFC 5576 §4.2, RFC 4588 §8.3). Null when the offer names none (the first RTP packet will).
    /// </summary>
    private static (uint? Ssrc, uint? RtxSsrc) ReadSsrcs(MediaDescription section)
    {
        foreach (var group in section.AttributeValues("ssrc-group"))
        {
            var fields = group.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 3 && fields[0] == "FID"
                && uint.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var primary)
                && uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var retransmission))
            {
                return (primary, retransmission);
            }
        }

        foreach (var value in section.AttributeValues("ssrc"))
        {
            var space = value.IndexOf(' ');
            if (uint.TryParse(space < 0 ? value : value[..space], NumberStyles.None, CultureInfo.InvariantCulture, out var ssrc))
            {
                return (ssrc, null);
            }
        }

        return (null, null);
    }

    private static string Describe(List<OfferedMedia> media) =>
        media.Count == 0 ? "no media sections" : string.Join(", ", media.Select(m => $"{m.Kind}: {m.Rejection}"));

    /// <summary>The hash function's name at the start of an <c>a=fingerprint</c> value.</summary>
    private static ReadOnlySpan<char> HashFunction(string value)
    {
        var trimmed = value.AsSpan().Trim();
        var space = trimmed.IndexOf(' ');
        return space < 0 ? trimmed : trimmed[..space];
    }
}
