namespace Nio.WebRtc.Tests;

public class DemuxTests
{
    [Fact]
    public void Every_first_byte_goes_where_RFC_7983_sends_it()
    {
        for (var first = 0; first <= 255; first++)
        {
            var expected = first switch
            {
                <= 3 => DatagramKind.Stun,
                >= 20 and <= 63 => DatagramKind.Dtls,
                >= 128 and <= 191 => DatagramKind.RtpOrRtcp,
                _ => DatagramKind.Drop,
            };

            Assert.Equal(expected, Demux.Classify([(byte)first, 0, 0, 0]));
        }
    }

    [Fact]
    public void Real_first_bytes_are_classified()
    {
        Assert.Equal(DatagramKind.Stun, Demux.Classify(Stun.Rfc5769.Request));
        Assert.Equal(DatagramKind.Dtls, Demux.Classify([22, 0xFE, 0xFD])); // a DTLS 1.2 handshake record
        Assert.Equal(DatagramKind.RtpOrRtcp, Demux.Classify([0x80, 102])); // RTP version 2
        Assert.Equal(DatagramKind.RtpOrRtcp, Demux.Classify([0x81, 200])); // an RTCP sender report
        Assert.Equal(DatagramKind.Drop, Demux.Classify([0x40, 0x00])); // a TURN ChannelData message
        Assert.Equal(DatagramKind.Drop, Demux.Classify([]));
    }
}
