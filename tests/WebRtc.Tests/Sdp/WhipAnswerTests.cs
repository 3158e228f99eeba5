using System.Net;
using System.Security.Cryptography;
using Nio.WebRtc.Dtls;
using Nio.WebRtc.Ice;
using Nio.WebRtc.Sdp;

namespace Nio.WebRtc.Tests.Sdp;

public class WhipAnswerTests
{
    private static readonly DtlsFingerprint Certificate = DtlsFingerprint.Sha256("NIO's DTLS certificate"u8);

    internal static WhipAnswerParameters Parameters() => new(
        new IceCredentials("n10a", "0123456789abcdefghijklmn"), Certificate, [IPAddress.Parse("203.0.113.5"), IPAddress.Parse("2001:db8::5")], 8189);

    [Fact]
    public void The_answer_to_Chromium_is_ice_lite_passive_bundled_receive_only_with_one_H264_and_Opus()
    {
        var answer = WhipAnswer.Create(WhipOffer.Parse(Offers.Chromium), Parameters());

        var fingerprint = string.Join(':', Certificate.Hash.ToArray().Select(b => b.ToString("X2")));
        var transport = $"""
            a=ice-ufrag:n10a
            a=ice-pwd:0123456789abcdefghijklmn
            a=fingerprint:sha-256 {fingerprint}
            a=setup:passive
            a=recvonly
            a=rtcp-mux
            """;
        var candidates = """
            a=candidate:1 1 udp 2130706431 203.0.113.5 8189 typ host
            a=candidate:2 1 udp 2130706175 2001:db8::5 8189 typ host
            a=end-of-candidates
            """;
        var expectedAfterOrigin = $"""
            s=-
            t=0 0
            a=group:BUNDLE 0 1
            a=ice-lite
            m=audio 8189 UDP/TLS/RTP/SAVPF 111
            c=IN IP4 203.0.113.5
            a=mid:0
            {transport}
            a=rtpmap:111 opus/48000/2
            a=fmtp:111 minptime=10;useinbandfec=1
            {candidates}
            m=video 8189 UDP/TLS/RTP/SAVPF 108 109
            c=IN IP4 203.0.113.5
            a=mid:1
            {transport}
            a=rtpmap:108 H264/90000
            a=rtcp-fb:108 goog-remb
            a=rtcp-fb:108 ccm fir
            a=rtcp-fb:108 nack
            a=rtcp-fb:108 nack pli
            a=fmtp:108 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f
            a=rtpmap:109 rtx/90000
            a=fmtp:109 apt=108
            {candidates}

            """.ReplaceLineEndings("\r\n");

        var lines = answer.Split("\r\n");
        Assert.Equal("v=0", lines[0]);
        Assert.Matches(@"^o=- \d+ 2 IN IP4 127\.0\.0\.1$", lines[1]);
        Assert.Equal(expectedAfterOrigin, string.Join("\r\n", lines[2..]));
    }

    [Fact]
    public void Rejected_sections_are_answered_with_port_0_in_offer_order_and_leave_the_bundle()
    {
        var sdp = Offers.Obs
            .Replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0 1 2")
            .Replace("a=rtpmap:96 H264/90000", "a=rtpmap:96 VP8/90000")
            + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:2\r\n";

        var answer = SessionDescription.Parse(WhipAnswer.Create(WhipOffer.Parse(sdp), Parameters()));

        Assert.Equal("BUNDLE 0", answer.Attribute("group"));
        Assert.Equal(["audio", "video", "application"], answer.Media.Select(m => m.Media));
        Assert.Equal([8189, 0, 0], answer.Media.Select(m => m.Port));
        Assert.Equal(["96"], answer.Media[1].Formats);
        Assert.Equal("webrtc-datachannel", Assert.Single(answer.Media[2].Formats));
        Assert.Equal(["0", "1", "2"], answer.Media.Select(m => m.Attribute("mid")));
    }

    [Fact]
    public void The_answer_to_GStreamer_gives_the_bundle_only_section_the_shared_port()
    {
        var answer = SessionDescription.Parse(WhipAnswer.Create(WhipOffer.Parse(Offers.GStreamer), Parameters()));

        Assert.Equal("BUNDLE video0 audio1", answer.Attribute("group"));
        Assert.Equal([8189, 8189], answer.Media.Select(m => m.Port));
        Assert.Equal("98 OPUS/48000/2", answer.Media[1].Attribute("rtpmap"));
        Assert.Equal(["96", "97"], answer.Media[0].Formats);
    }

    [Fact]
    public void The_answer_is_an_offer_NIO_itself_can_read_back()
    {
        foreach (var offerText in new[] { Offers.Chromium, Offers.Obs, Offers.GStreamer })
        {
            var offer = WhipOffer.Parse(offerText);
            var answer = SessionDescription.Parse(WhipAnswer.Create(offer, Parameters()));

            Assert.Equal(offer.Media.Count, answer.Media.Count);
            Assert.All(answer.Media.Where(m => m.Port != 0), m => Assert.Equal("passive", m.Attribute("setup")));
            Assert.All(answer.Media.Where(m => m.Port != 0), m => Assert.True(m.HasAttribute("end-of-candidates")));
        }
    }
}
