using System.Buffers.Binary;
using Nio.WebRtc.Rtp.Rtcp;

namespace Nio.WebRtc.Tests.Rtp;

public sealed class RtcpTests
{
    private const uint Us = 0x0A0B0C0D;
    private const uint Them = 0x11223344;

    [Fact]
    public void A_compound_of_sender_report_and_CNAME_is_read()
    {
        var compound = Hex.Bytes("""
            81c8000c 11223344 e9b1c6a8 40000000 0001d4c0 00000064 0000fa00
            0a0b0c0d 05000003 00010002 00000010 12345678 00008000
            81ca0004 11223344 0108616263646566 67680000
            """);
        var reader = new RtcpCompoundReader(compound);

        Assert.True(reader.TryRead(out var first));
        Assert.True(RtcpSenderReport.TryRead(first, out var report));
        Assert.Equal(Them, report.Ssrc);
        Assert.Equal(0xe9b1c6a840000000UL, report.NtpTimestamp);
        Assert.Equal(120_000u, report.RtpTimestamp);
        Assert.Equal(100u, report.PacketCount);
        Assert.Equal(64_000u, report.OctetCount);
        Assert.Equal(new RtcpReportBlock(Us, 5, 3, 0x10002, 16, 0x12345678, 0x8000), report.ReportBlock(0));

        Assert.True(reader.TryRead(out var second));
        var items = new RtcpSourceDescriptionReader(second);
        Assert.True(items.TryRead(out var ssrc, out var type, out var cname));
        Assert.Equal((Them, RtcpSourceDescriptionReader.CanonicalName, "abcdefgh"), (ssrc, type, System.Text.Encoding.ASCII.GetString(cname)));
        Assert.False(items.TryRead(out _, out _, out _));
        Assert.False(items.IsMalformed);

        Assert.False(reader.TryRead(out _));
        Assert.False(reader.IsMalformed);
    }

    [Fact]
    public void A_receiver_report_with_blocks_and_a_CNAME_read_back_as_written()
    {
        var blocks = new[]
        {
            new RtcpReportBlock(Them, 25, -5, 0x0002_FFFF, 123, 0xAABBCCDD, 65536),
            new RtcpReportBlock(Them + 1, 0, RtcpReportBlock.MaxCumulativeLost, 7, 0, 0, 0),
        };
        var buffer = new byte[RtcpWriter.ReceiverReportLength(2) + RtcpWriter.SourceDescriptionLength(5)];
        var length = RtcpWriter.WriteReceiverReport(buffer, Us, blocks);
        length += RtcpWriter.WriteSourceDescription(buffer.AsSpan(length), Us, "nio-1"u8);
        Assert.Equal(buffer.Length, length);

        var reader = new RtcpCompoundReader(buffer);
        Assert.True(reader.TryRead(out var rr));
        Assert.True(RtcpReceiverReport.TryRead(rr, out var report));
        Assert.Equal(Us, report.Ssrc);
        Assert.Equal(blocks, new[] { report.ReportBlock(0), report.ReportBlock(1) });
        Assert.True(reader.TryRead(out var sdes));
        var items = new RtcpSourceDescriptionReader(sdes);
        Assert.True(items.TryRead(out var ssrc, out _, out var cname));
        Assert.Equal(Us, ssrc);
        Assert.Equal("nio-1"u8.ToArray(), cname.ToArray());
        Assert.False(reader.TryRead(out _));
        Assert.False(reader.IsMalformed);
    }

    [Fact]
    public void A_picture_loss_indication_is_the_twelve_bytes_of_RFC_4585()
    {
        var buffer = new byte[RtcpWriter.PictureLossIndicationLength];
        RtcpWriter.WritePictureLossIndication(buffer, Us, Them);

        Assert.Equal(Hex.Bytes("81ce0002 0a0b0c0d 11223344"), buffer);
        Assert.True(new RtcpCompoundReader(buffer).TryRead(out var packet));
        Assert.True(RtcpFeedback.TryRead(packet, out var feedback));
        Assert.Equal((RtcpFeedbackKind.PictureLossIndication, Us, Them), (feedback.Kind, feedback.SenderSsrc, feedback.MediaSsrc));
    }

    [Fact]
    public void A_full_intra_request_names_the_source_in_its_entry()
    {
        var buffer = new byte[RtcpWriter.FullIntraRequestLength];
        RtcpWriter.WriteFullIntraRequest(buffer, Us, Them, 9);

        Assert.Equal(Hex.Bytes("84ce0004 0a0b0c0d 00000000 11223344 09000000"), buffer);
        new RtcpCompoundReader(buffer).TryRead(out var packet);
        RtcpFeedback.TryRead(packet, out var feedback);
        Assert.Equal(RtcpFeedbackKind.FullIntraRequest, feedback.Kind);
        Assert.Equal((Them, (byte)9), feedback.FullIntraRequest(0));
    }

    [Fact]
    public void A_NACK_packs_losses_into_PID_and_bitmask_across_the_wrap()
    {
        ushort[] lost = [65534, 65535, 0, 5, 40];
        var buffer = new byte[RtcpWriter.GenericNackMaxLength(lost.Length)];
        var length = RtcpWriter.WriteGenericNack(buffer, Us, Them, lost);

        // 65534 with 65535 (bit 0), 0 (bit 1) and 5 (bit 6); then 40 alone.
        Assert.Equal(Hex.Bytes("81cd0004 0a0b0c0d 11223344 fffe0043 00280000"), buffer[..length]);
        new RtcpCompoundReader(buffer.AsSpan(0, length)).TryRead(out var packet);
        RtcpFeedback.TryRead(packet, out var feedback);
        Span<ushort> read = stackalloc ushort[32];
        Assert.Equal(lost, read[..feedback.LostSequenceNumbers(read)].ToArray());
    }

    [Theory]
    [InlineData(0UL, 0UL)]
    [InlineData(150_000UL, 150_000UL)]
    [InlineData(2_500_000UL, 2_500_000UL)] // 156,250 × 2^4
    [InlineData(1_000_000_000UL, 999_997_440UL)] // the 18-bit mantissa rounds down: 244,140 × 2^12
    public void A_REMB_carries_the_bitrate_as_mantissa_and_exponent(ulong bitrate, ulong expected)
    {
        var buffer = new byte[RtcpWriter.ReceiverEstimatedMaximumBitrateLength(2)];
        RtcpWriter.WriteReceiverEstimatedMaximumBitrate(buffer, Us, bitrate, [Them, Them + 1]);

        new RtcpCompoundReader(buffer).TryRead(out var packet);
        Assert.True(RtcpFeedback.TryRead(packet, out var feedback));
        Assert.Equal(RtcpFeedbackKind.ReceiverEstimatedMaximumBitrate, feedback.Kind);
        Assert.True(feedback.TryReadRemb(out var read, out var count));
        Assert.Equal((expected, 2, Them + 1), (read, count, feedback.RembSsrc(1)));
        Assert.Equal("REMB"u8.ToArray(), buffer[12..16]);
    }

    [Fact]
    public void Transport_wide_feedback_and_goodbye_are_recognised()
    {
        var compound = Hex.Bytes("""
            8fcd0005 0a0b0c0d 11223344 00010002 00000000 20020000
            81cb0003 11223344 04627965 21000000
            """);
        var reader = new RtcpCompoundReader(compound);
        reader.TryRead(out var twcc);
        Assert.True(RtcpFeedback.TryRead(twcc, out var feedback));
        Assert.Equal(RtcpFeedbackKind.TransportWideCongestionControl, feedback.Kind);
        reader.TryRead(out var bye);
        Assert.True(RtcpGoodbye.TryRead(bye, out var goodbye));
        Assert.Equal((1, Them, "bye!"), (goodbye.Count, goodbye.Ssrc(0), System.Text.Encoding.ASCII.GetString(goodbye.Reason)));
    }

    [Fact]
    public void A_compound_cut_anywhere_but_between_packets_stops_at_the_cut_as_malformed()
    {
        var compound = new byte[RtcpWriter.ReceiverReportLength(1) + RtcpWriter.PictureLossIndicationLength];
        var length = RtcpWriter.WriteReceiverReport(compound, Us, [new RtcpReportBlock(Them, 1, 2, 3, 4, 5, 6)]);
        RtcpWriter.WritePictureLossIndication(compound.AsSpan(length), Us, Them);

        for (var cut = 0; cut < compound.Length; cut++)
        {
            var reader = new RtcpCompoundReader(compound.AsSpan(0, cut));
            var packets = 0;
            while (reader.TryRead(out _))
            {
                packets++;
            }

            Assert.Equal(cut != length, reader.IsMalformed);
            Assert.Equal(cut >= length ? 1 : 0, packets);
        }
    }

    [Fact]
    public void Random_bytes_are_read_or_refused_without_an_exception()
    {
        var random = new Random(22);
        Span<ushort> lost = stackalloc ushort[64];
        for (var i = 0; i < 100_000; i++)
        {
            var bytes = new byte[random.Next(0, 120)];
            random.NextBytes(bytes);
            for (var offset = 0; offset + 4 <= bytes.Length; offset += 4 * random.Next(1, 6))
            {
                // Headers that look valid, so the typed readers see bodies of every length.
                bytes[offset] = (byte)(0x80 | (bytes[offset] & 0x3F));
                bytes[offset + 1] = (byte)random.Next(200, 207);
                BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(offset + 2), (ushort)random.Next(0, 8));
            }

            var reader = new RtcpCompoundReader(bytes);
            while (reader.TryRead(out var packet))
            {
                if (RtcpSenderReport.TryRead(packet, out var sr))
                {
                    for (var b = 0; b < sr.ReportCount; b++)
                    {
                        sr.ReportBlock(b);
                    }
                }

                if (RtcpReceiverReport.TryRead(packet, out var rr))
                {
                    for (var b = 0; b < rr.ReportCount; b++)
                    {
                        rr.ReportBlock(b);
                    }
                }

                if (RtcpGoodbye.TryRead(packet, out var bye))
                {
                    for (var b = 0; b < bye.Count; b++)
                    {
                        bye.Ssrc(b);
                    }
                }

                var items = new RtcpSourceDescriptionReader(packet);
                while (items.TryRead(out _, out _, out _))
                {
                }

                if (RtcpFeedback.TryRead(packet, out var feedback))
                {
                    feedback.LostSequenceNumbers(lost);
                    for (var f = 0; f < feedback.FullIntraRequestCount; f++)
                    {
                        feedback.FullIntraRequest(f);
                    }

                    if (feedback.TryReadRemb(out _, out var count))
                    {
                        for (var s = 0; s < count; s++)
                        {
                            feedback.RembSsrc(s);
                        }
                    }
                }
            }
        }
    }
}
