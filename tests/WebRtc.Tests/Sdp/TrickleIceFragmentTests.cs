using Nio.WebRtc.Sdp;

namespace Nio.WebRtc.Tests.Sdp;

public class TrickleIceFragmentTests
{
    // The shape of RFC 8840 §9's example fragment as a WHIP client PATCHes it (RFC 9725 §4.3.1).
    private const string Fragment = "a=ice-ufrag:H82V\r\na=ice-pwd:R/LoF7rTaL1KANj2DKDI88VN\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n"
        + "a=candidate:1399007710 1 udp 2122063615 192.0.2.2 60339 typ host generation 0 network-id 1\r\n"
        + "a=candidate:842163049 1 udp 1677729535 203.0.113.77 41000 typ srflx raddr 192.0.2.2 rport 60339\r\n"
        + "a=end-of-candidates\r\n";

    [Fact]
    public void A_fragment_yields_its_candidates_and_the_end_of_them()
    {
        var fragment = TrickleIceFragment.Parse(Fragment);

        Assert.Equal("H82V", fragment.IceUfrag);
        Assert.Equal(2, fragment.Candidates.Count);
        Assert.Equal(new IceCandidate("842163049", 1, "udp", 1677729535, "203.0.113.77", 41000, "srflx"), fragment.Candidates[1]);
        Assert.True(fragment.EndOfCandidates);
        Assert.False(fragment.IsIceRestart("H82V"));
    }

    [Fact]
    public void A_fragment_with_a_new_ufrag_is_an_ICE_restart()
    {
        var fragment = TrickleIceFragment.Parse(Fragment.Replace("ice-ufrag:H82V", "ice-ufrag:Zz9y"));

        Assert.True(fragment.IsIceRestart("H82V"));
    }

    [Fact]
    public void A_fragment_without_credentials_is_no_restart()
    {
        var fragment = TrickleIceFragment.Parse("a=candidate:1 1 udp 2122063615 192.0.2.2 60339 typ host\r\n");

        Assert.Null(fragment.IceUfrag);
        Assert.False(fragment.IsIceRestart("H82V"));
        Assert.False(fragment.EndOfCandidates);
    }

    [Theory]
    [InlineData("a=candidate:1 1 udp 2122063615 192.0.2.2 60339 host\r\n")]
    [InlineData("a=candidate:1 1 udp -5 192.0.2.2 60339 typ host\r\n")]
    [InlineData("a=ice-ufrag:a:b\r\n")]
    [InlineData("candidate:1 1 udp 1 192.0.2.2 1 typ host\r\n")]
    public void A_malformed_fragment_is_refused(string text)
    {
        Assert.Throws<SdpException>(() => TrickleIceFragment.Parse(text));
    }
}
