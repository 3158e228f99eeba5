using Nio.WebRtc.Sdp;

namespace Nio.WebRtc.Tests.Sdp;

public class WhipOfferTests
{
    [Fact]
    public void Chromiums_offer_yields_its_credentials_fingerprint_and_the_H264_and_Opus_it_sends()
    {
        var offer = WhipOffer.Parse(Offers.Chromium);

        Assert.Equal("H82V", offer.IceUfrag);
        Assert.Equal("R/LoF7rTaL1KANj2DKDI88VN", offer.IcePassword);
        var fingerprint = Assert.Single(offer.Fingerprints);
        Assert.Equal("sha-256", fingerprint.Algorithm);
        Assert.Equal(Convert.FromHexString("FCC48DB262222 5F49153FEBD7D29A3274FC81C5830BF898C87EBD7058538798C".Replace(" ", "")), fingerprint.Hash.ToArray());
        Assert.Equal(["0", "1"], offer.BundleMids);

        var audio = offer.Audio!;
        Assert.Equal("0", audio.Mid);
        Assert.Equal(111, audio.Codec!.PayloadType);
        Assert.Equal("minptime=10;useinbandfec=1", audio.Codec.FormatParameters);
        Assert.Empty(audio.RtcpFeedback); // only transport-cc, which NIO does not answer
        Assert.Equal(2730208904u, audio.Ssrc);
        Assert.Null(audio.RtxPayloadType);

        // Constrained baseline (42e01f) in packetization-mode 1 wins over 42001f, main and every mode-0 type.
        var video = offer.Video!;
        Assert.Equal("1", video.Mid);
        Assert.Equal(108, video.Codec!.PayloadType);
        Assert.Equal(109, video.RtxPayloadType);
        Assert.Equal(["goog-remb", "ccm fir", "nack", "nack pli"], video.RtcpFeedback);
        Assert.Equal(3619207319u, video.Ssrc);
        Assert.Equal(3353859319u, video.RtxSsrc);

        Assert.Equal(8, offer.Candidates.Count);
        Assert.Contains(offer.Candidates, c => c is { Address: "127.0.0.1", Port: 47530, Transport: "udp", Type: "host" });
    }

    [Fact]
    public void OBSs_offer_with_credentials_at_session_level_is_read()
    {
        var offer = WhipOffer.Parse(Offers.Obs);

        Assert.Equal("Rk9v", offer.IceUfrag);
        Assert.Equal("b2JzLXdoaXAtb2ZmZXItcGFzc3dvcmQ", offer.IcePassword);
        Assert.Equal("sha-256", Assert.Single(offer.Fingerprints).Algorithm);
        Assert.Equal(["audio", "video"], offer.Media.Select(m => m.Kind));
        Assert.Equal(111, offer.Audio!.Codec!.PayloadType);
        Assert.Equal(96, offer.Video!.Codec!.PayloadType);
        Assert.Equal(["nack", "nack pli", "goog-remb"], offer.Video.RtcpFeedback);
        Assert.Equal(2915301784u, offer.Video.Ssrc);
        Assert.Equal(2, offer.Candidates.Count);
    }

    [Fact]
    public void GStreamers_bundle_only_audio_section_is_received_with_its_RTX_and_FID_group()
    {
        var offer = WhipOffer.Parse(Offers.GStreamer);

        Assert.True(offer.Audio!.Accepted);
        Assert.Equal("audio1", offer.Audio.Mid);
        Assert.Equal("OPUS", offer.Audio.Codec!.EncodingName);
        Assert.Equal(2213734537u, offer.Audio.Ssrc);
        Assert.Equal(96, offer.Video!.Codec!.PayloadType);
        Assert.Equal(97, offer.Video.RtxPayloadType);
        Assert.Equal(3484470286u, offer.Video.Ssrc);
        Assert.Equal(1180839471u, offer.Video.RtxSsrc);
        Assert.Equal(["nack", "nack pli", "ccm fir"], offer.Video.RtcpFeedback);
    }

    [Fact]
    public void Sections_NIO_cannot_receive_are_kept_in_order_with_the_reason()
    {
        var sdp = Offers.Chromium
            .Replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0 1 2 3")
            + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:2\r\na=sctp-port:5000\r\n"
            + "m=video 9 UDP/TLS/RTP/SAVPF 102\r\na=mid:3\r\na=sendonly\r\na=rtcp-mux\r\na=rtpmap:102 H264/90000\r\na=fmtp:102 packetization-mode=1\r\n";

        var offer = WhipOffer.Parse(sdp);

        Assert.Equal(
            [MediaRejection.None, MediaRejection.None, MediaRejection.NotRtp, MediaRejection.ExtraSection],
            offer.Media.Select(m => m.Rejection));
    }

    [Fact]
    public void Video_without_H264_in_packetization_mode_1_and_audio_without_Opus_are_rejected()
    {
        var sdp = Offers.Obs
            .Replace("a=rtpmap:111 opus/48000/2", "a=rtpmap:111 PCMU/8000")
            .Replace("packetization-mode=1", "packetization-mode=0");

        var error = Assert.Throws<SdpException>(() => WhipOffer.Parse(sdp));

        Assert.Equal(SdpError.NoAcceptableMedia, error.Error);
        Assert.Contains("audio: NoOpus, video: NoH264", error.Message);
    }

    [Fact]
    public void A_VP8_only_video_section_is_rejected_while_its_audio_is_received()
    {
        var sdp = Offers.Obs.Replace("a=rtpmap:96 H264/90000", "a=rtpmap:96 VP8/90000");

        var offer = WhipOffer.Parse(sdp);

        Assert.Equal(MediaRejection.NoH264, offer.Media[1].Rejection);
        Assert.NotNull(offer.Audio);
        Assert.Null(offer.Video);
    }

    [Fact]
    public void A_section_the_offerer_does_not_send_is_rejected()
    {
        var offer = WhipOffer.Parse(Offers.Obs.Replace("a=mid:1\r\na=sendonly", "a=mid:1\r\na=recvonly"));

        Assert.Equal(MediaRejection.NotSending, offer.Media[1].Rejection);
    }

    [Fact]
    public void A_fingerprint_with_a_hash_NIO_does_not_check_is_left_out_beside_one_it_does()
    {
        var sha1 = "a=fingerprint:sha-1 " + string.Join(':', Enumerable.Repeat("AB", 20)) + "\r\n";

        var offer = WhipOffer.Parse(Offers.Chromium.Replace("a=fingerprint:sha-256", sha1 + "a=fingerprint:sha-256"));

        Assert.Equal("sha-256", Assert.Single(offer.Fingerprints).Algorithm);
    }

    [Theory]
    [InlineData("a=fingerprint:", "a=x-removed:", SdpError.NoFingerprint)]
    [InlineData("a=ice-ufrag:", "a=x-removed:", SdpError.NoIceCredentials)]
    [InlineData("a=ice-pwd:", "a=x-removed:", SdpError.NoIceCredentials)]
    [InlineData("a=ice-pwd:R/LoF7rTaL1KANj2DKDI88VN", "a=ice-pwd:short", SdpError.NoIceCredentials)]
    [InlineData("a=group:BUNDLE 0 1", "a=group:BUNDLE 0", SdpError.NotBundled)]
    [InlineData("a=rtcp-mux\r\n", "", SdpError.NoRtcpMux)]
    [InlineData("a=setup:actpass", "a=setup:passive", SdpError.SetupConflict)]
    [InlineData("a=fingerprint:sha-256 FC:C4", "a=fingerprint:sha-256 ZZ:C4", SdpError.Malformed)]
    [InlineData("a=fingerprint:sha-256 ", "a=fingerprint:sha-1 ", SdpError.NoFingerprint)]
    [InlineData("v=0", "v=1", SdpError.Malformed)]
    [InlineData("m=video 9 ", "m=video nine ", SdpError.Malformed)]
    public void Offers_NIO_cannot_answer_are_refused_with_a_reason(string find, string replace, SdpError expected)
    {
        var error = Assert.Throws<SdpException>(() => WhipOffer.Parse(Offers.Chromium.Replace(find, replace)));

        Assert.Equal(expected, error.Error);
        Assert.NotEmpty(error.Message);
    }

    [Fact]
    public void An_oversized_offer_is_refused_before_it_is_read()
    {
        var error = Assert.Throws<SdpException>(() => WhipOffer.Parse(Offers.Chromium + new string('x', SessionDescription.MaxLength)));

        Assert.Equal(SdpError.TooLarge, error.Error);
    }

    [Fact]
    public void An_offer_with_too_many_media_sections_is_refused()
    {
        var sdp = Offers.Chromium + string.Concat(Enumerable.Repeat("m=audio 0 UDP/TLS/RTP/SAVPF 0\r\n", SessionDescription.MaxMediaSections));

        Assert.Equal(SdpError.TooLarge, Assert.Throws<SdpException>(() => WhipOffer.Parse(sdp)).Error);
    }

    [Fact]
    public void Every_prefix_of_an_offer_is_answered_or_refused_with_a_reason()
    {
        var sdp = Offers.Chromium;
        for (var length = 0; length <= sdp.Length; length++)
        {
            try
            {
                WhipOffer.Parse(sdp[..length]);
            }
            catch (SdpException)
            {
            }
        }
    }

    [Fact]
    public void Random_changes_to_offers_never_throw_anything_but_SdpException()
    {
        var random = new Random(8866);
        var offers = new[] { Offers.Chromium, Offers.Obs, Offers.GStreamer };
        const string alphabet = "=: /\r\n0123456789abcmavtH";
        for (var i = 0; i < 5_000; i++)
        {
            var chars = offers[i % offers.Length].ToCharArray();
            for (var edits = random.Next(1, 8); edits > 0; edits--)
            {
                chars[random.Next(chars.Length)] = alphabet[random.Next(alphabet.Length)];
            }

            try
            {
                var offer = WhipOffer.Parse(new string(chars));
                _ = WhipAnswer.Create(offer, WhipAnswerTests.Parameters());
            }
            catch (SdpException)
            {
            }
        }
    }
}
