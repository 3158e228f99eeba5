using System.Net;
using System.Security.Cryptography;
using System.Text;
using Nio.WebRtc.Stun;

namespace Nio.WebRtc.Tests.Stun;

public class StunMessageTests
{
    private static readonly byte[] Password = Encoding.UTF8.GetBytes(Rfc5769.Password);
    private static readonly byte[] MagicCookie = [0x21, 0x12, 0xA4, 0x42];

    [Fact]
    public void The_RFC_5769_sample_request_reads_and_its_integrity_and_fingerprint_check_out()
    {
        Assert.True(StunMessage.TryParse(Rfc5769.Request, out var message, out var error), error.ToString());

        Assert.Equal(StunMethod.Binding, message.Method);
        Assert.Equal(StunClass.Request, message.Class);
        Assert.Equal(Convert.FromHexString("b7e7a701bc34d686fa87dfae"), message.TransactionId.ToArray());
        Assert.Equal("evtj:h6vY", Encoding.UTF8.GetString(message.Username));
        Assert.Equal(0x6e0001ffu, message.Priority);
        Assert.Equal(0x932ff9b151263b36ul, message.IceControlled);
        Assert.Null(message.IceControlling);
        Assert.False(message.HasUseCandidate);
        Assert.False(message.HasUnknownComprehensionRequiredAttributes);
        Assert.True(message.HasValidFingerprint());
        Assert.True(message.HasValidMessageIntegrity(Password));
        Assert.False(message.HasValidMessageIntegrity("VOkJxbRl1RmTxUk/WvJxBu"u8));

        var software = "";
        foreach (var attribute in message.Attributes)
        {
            if (attribute.Type == StunAttributeType.Software)
            {
                software = Encoding.UTF8.GetString(attribute.Value);
            }
        }

        Assert.Equal("STUN test client", software);
    }

    [Theory]
    [InlineData("ipv4", "192.0.2.1", 32853)]
    [InlineData("ipv6", "2001:db8:1234:5678:11:2233:4455:6677", 32853)]
    public void The_RFC_5769_sample_responses_carry_the_mapped_address(string vector, string address, int port)
    {
        var bytes = vector == "ipv4" ? Rfc5769.Ipv4Response : Rfc5769.Ipv6Response;

        Assert.True(StunMessage.TryParse(bytes, out var message, out _));
        Assert.Equal(StunClass.SuccessResponse, message.Class);
        Assert.True(message.TryGetXorMappedAddress(out var mapped));
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), mapped);
        Assert.True(message.HasValidMessageIntegrity(Password));
        Assert.True(message.HasValidFingerprint());
    }

    [Fact]
    public void The_writer_encodes_the_mapped_addresses_of_the_RFC_5769_responses_exactly()
    {
        foreach (var (vector, endpoint) in new[]
                 {
                     (Rfc5769.Ipv4Response, new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853)),
                     (Rfc5769.Ipv6Response, new IPEndPoint(IPAddress.Parse("2001:db8:1234:5678:11:2233:4455:6677"), 32853)),
                 })
        {
            var buffer = new byte[256];
            var writer = new StunMessageWriter(buffer, StunMessageType.Compose(StunMethod.Binding, StunClass.SuccessResponse), vector.AsSpan(8, 12));
            writer.WriteXorMappedAddress(endpoint);

            // Both vectors put XOR-MAPPED-ADDRESS right after a 16-byte SOFTWARE attribute.
            var expected = vector.AsSpan(36, 4 + (endpoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 8 : 20));
            Assert.Equal(expected.ToArray(), writer.Written[20..].ToArray());
        }
    }

    [Fact]
    public void The_RFC_5769_long_term_request_checks_out_and_the_writer_reproduces_it_byte_for_byte()
    {
        // Long-term key = MD5(username ":" realm ":" SASLprep(password)); "TheMatrIX" is the SASLprep'd password.
        var key = MD5.HashData(Encoding.UTF8.GetBytes("\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9:example.org:TheMatrIX"));

        Assert.True(StunMessage.TryParse(Rfc5769.LongTermRequest, out var message, out _));
        Assert.True(message.HasValidMessageIntegrity(key));
        Assert.False(message.HasFingerprint);
        Assert.False(message.HasValidFingerprint());

        Span<byte> buffer = stackalloc byte[256];
        var writer = new StunMessageWriter(buffer, StunMessageType.Compose(StunMethod.Binding, StunClass.Request), message.TransactionId);
        writer.WriteUsername(message.Username);
        writer.WriteAttribute(StunAttributeType.Nonce, "f//499k954d6OL34oL9FSTvy64sA"u8);
        writer.WriteAttribute(StunAttributeType.Realm, "example.org"u8);
        writer.WriteMessageIntegrity(key);

        Assert.Equal(Rfc5769.LongTermRequest, writer.Written.ToArray());
    }

    [Fact]
    public void A_written_binding_request_reads_back_with_valid_integrity_and_fingerprint()
    {
        var transactionId = RandomNumberGenerator.GetBytes(12);
        Span<byte> buffer = stackalloc byte[256];
        var writer = new StunMessageWriter(buffer, StunMessageType.Compose(StunMethod.Binding, StunClass.Request), transactionId);
        writer.WriteUsername("abcd:efgh"u8);
        writer.WritePriority(1853766911);
        writer.WriteIceControlling(0x0102030405060708);
        writer.WriteUseCandidate();
        writer.WriteMessageIntegrity(Password);
        writer.WriteFingerprint();

        Assert.True(StunMessage.TryParse(writer.Written, out var message, out _));
        Assert.Equal(transactionId, message.TransactionId.ToArray());
        Assert.Equal("abcd:efgh", Encoding.UTF8.GetString(message.Username));
        Assert.Equal(1853766911u, message.Priority);
        Assert.Equal(0x0102030405060708ul, message.IceControlling);
        Assert.True(message.HasUseCandidate);
        Assert.True(message.HasValidMessageIntegrity(Password));
        Assert.True(message.HasValidFingerprint());
    }

    [Fact]
    public void An_error_response_carries_its_code_and_reason()
    {
        Span<byte> buffer = stackalloc byte[256];
        var writer = new StunMessageWriter(buffer, StunMessageType.Compose(StunMethod.Binding, StunClass.ErrorResponse), new byte[12]);
        writer.WriteErrorCode(StunErrorCode.Unauthorized, "Unauthorized");
        writer.WriteFingerprint();

        Assert.True(StunMessage.TryParse(writer.Written, out var message, out _));
        Assert.Equal(StunClass.ErrorResponse, message.Class);
        Assert.True(message.TryGetErrorCode(out var code, out var reason));
        Assert.Equal(401, code);
        Assert.Equal("Unauthorized", reason);
    }

    [Theory]
    [InlineData(StunClass.Request, 0x0001)]
    [InlineData(StunClass.Indication, 0x0011)]
    [InlineData(StunClass.SuccessResponse, 0x0101)]
    [InlineData(StunClass.ErrorResponse, 0x0111)]
    public void Binding_message_types_match_the_registry(StunClass messageClass, int type)
    {
        Assert.Equal((ushort)type, StunMessageType.Compose(StunMethod.Binding, messageClass));
        Assert.Equal(StunMethod.Binding, StunMessageType.MethodOf((ushort)type));
        Assert.Equal(messageClass, StunMessageType.ClassOf((ushort)type));
    }

    [Fact]
    public void Every_method_and_class_survive_the_interleaving_of_their_bits()
    {
        for (ushort method = 0; method < 0x1000; method++)
        {
            foreach (var messageClass in Enum.GetValues<StunClass>())
            {
                var type = StunMessageType.Compose(method, messageClass);
                Assert.True(type < 0x4000);
                Assert.Equal(method, StunMessageType.MethodOf(type));
                Assert.Equal(messageClass, StunMessageType.ClassOf(type));
            }
        }
    }

    [Fact]
    public void Every_proper_prefix_of_a_message_is_rejected()
    {
        for (var length = 0; length < Rfc5769.Request.Length; length++)
        {
            Assert.False(StunMessage.TryParse(Rfc5769.Request.AsSpan(0, length), out _, out var error));
            Assert.NotEqual(StunParseError.None, error);
        }
    }

    [Fact]
    public void Bytes_after_the_message_in_the_same_datagram_are_rejected()
    {
        var datagram = Rfc5769.Request.Concat(new byte[] { 0, 0, 0, 0 }).ToArray();

        Assert.False(StunMessage.TryParse(datagram, out _, out var error));
        Assert.Equal(StunParseError.LengthMismatch, error);
    }

    [Fact]
    public void A_flipped_bit_anywhere_in_the_request_is_caught_by_framing_fingerprint_or_integrity()
    {
        for (var index = 0; index < Rfc5769.Request.Length; index++)
        {
            for (var bit = 0; bit < 8; bit++)
            {
                var mutated = (byte[])Rfc5769.Request.Clone();
                mutated[index] ^= (byte)(1 << bit);

                var accepted = StunMessage.TryParse(mutated, out var message, out _)
                    && message.HasValidFingerprint() && message.HasValidMessageIntegrity(Password);
                Assert.False(accepted, $"bit {bit} of byte {index}");
            }
        }
    }

    [Fact]
    public void An_attribute_after_the_fingerprint_is_rejected()
    {
        var datagram = AppendAttribute(Rfc5769.Request, StunAttributeType.Priority, [0, 0, 0, 1]);

        Assert.False(StunMessage.TryParse(datagram, out _, out var error));
        Assert.Equal(StunParseError.AttributeAfterFingerprint, error);
    }

    [Fact]
    public void Attributes_after_message_integrity_are_ignored()
    {
        // The long-term vector ends with MESSAGE-INTEGRITY; a USE-CANDIDATE appended after it must not count.
        var datagram = AppendAttribute(Rfc5769.LongTermRequest, StunAttributeType.UseCandidate, []);

        Assert.True(StunMessage.TryParse(datagram, out var message, out _));
        Assert.False(message.HasUseCandidate);
    }

    [Fact]
    public void An_unknown_comprehension_required_attribute_is_flagged_and_an_optional_one_is_not()
    {
        Assert.True(StunMessage.TryParse(AppendAttribute(HeaderOnly(), 0x7F01, [1, 2, 3]), out var required, out _));
        Assert.True(required.HasUnknownComprehensionRequiredAttributes);
        Assert.True(StunMessage.TryParse(AppendAttribute(HeaderOnly(), 0xC057, [0, 1, 0, 0]), out var optional, out _));
        Assert.False(optional.HasUnknownComprehensionRequiredAttributes);
    }

    [Theory]
    [InlineData(StunAttributeType.Priority, 3)]
    [InlineData(StunAttributeType.IceControlling, 4)]
    [InlineData(StunAttributeType.MessageIntegrity, 19)]
    [InlineData(StunAttributeType.Fingerprint, 8)]
    [InlineData(StunAttributeType.UseCandidate, 4)]
    [InlineData(StunAttributeType.XorMappedAddress, 12)]
    [InlineData(StunAttributeType.Username, 512)]
    public void An_attribute_of_the_wrong_size_is_rejected(ushort type, int length)
    {
        Assert.False(StunMessage.TryParse(AppendAttribute(HeaderOnly(), type, new byte[length]), out _, out var error));
        Assert.Equal(StunParseError.BadAttributeLength, error);
    }

    [Fact]
    public void Datagrams_that_are_not_STUN_are_told_apart()
    {
        var rtp = (byte[])Rfc5769.Request.Clone();
        rtp[0] = 0x80;
        var wrongCookie = (byte[])Rfc5769.Request.Clone();
        wrongCookie[4] = 0;

        Assert.False(StunMessage.TryParse(rtp, out _, out var rtpError));
        Assert.Equal(StunParseError.NotStun, rtpError);
        Assert.False(StunMessage.TryParse(wrongCookie, out _, out var cookieError));
        Assert.Equal(StunParseError.NotStun, cookieError);
        Assert.False(StunMessage.TryParse(new byte[StunMessage.MaxLength + 1], out _, out var sizeError));
        Assert.Equal(StunParseError.BadLength, sizeError);
    }

    [Fact]
    public void Random_datagrams_never_throw()
    {
        var random = new Random(5769);
        var buffer = new byte[600];
        for (var i = 0; i < 200_000; i++)
        {
            var length = random.Next(0, buffer.Length);
            var datagram = buffer.AsSpan(0, length);
            random.NextBytes(datagram);
            if (i % 2 == 0 && length >= 20)
            {
                // A valid header, so the attribute walk is what gets exercised.
                length &= ~3;
                datagram = buffer.AsSpan(0, length);
                datagram[0] = (byte)(datagram[0] & 0x3F);
                datagram[2] = (byte)((length - 20) >> 8);
                datagram[3] = (byte)(length - 20);
                MagicCookie.CopyTo(datagram[4..]);
                if (i % 4 == 0)
                {
                    // Attribute types NIO reads, so their value checks get exercised too.
                    ReadOnlySpan<ushort> known = [0x0006, 0x0008, 0x0009, 0x0020, 0x0024, 0x0025, 0x8028, 0x8029, 0x802A];
                    for (var at = 20; at + 4 <= length; at += 4 + (datagram[at + 3] & 0x1C))
                    {
                        var type = known[random.Next(known.Length)];
                        datagram[at] = (byte)(type >> 8);
                        datagram[at + 1] = (byte)type;
                        datagram[at + 2] = 0;
                        datagram[at + 3] = (byte)(datagram[at + 3] & 0x1C);
                    }
                }
            }

            Exercise(datagram);
        }
    }

    [Fact]
    public void Reading_and_checking_a_binding_request_allocates_nothing()
    {
        var request = Rfc5769.Request;
        Exercise(request);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(StunMessage.TryParse(request, out var message, out _));
            Assert.True(message.HasValidFingerprint() && message.HasValidMessageIntegrity(Password));
            _ = message.Username;
            _ = message.Priority;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void Exercise(ReadOnlySpan<byte> datagram)
    {
        if (!StunMessage.TryParse(datagram, out var message, out _))
        {
            return;
        }

        _ = message.HasValidFingerprint();
        _ = message.HasValidMessageIntegrity(Password);
        _ = message.Username;
        _ = message.Priority;
        _ = message.IceControlling;
        _ = message.IceControlled;
        _ = message.TryGetXorMappedAddress(out _);
        _ = message.TryGetErrorCode(out _, out _);
        foreach (var attribute in message.Attributes)
        {
            _ = attribute.Value.Length;
        }
    }

    private static byte[] HeaderOnly()
    {
        var header = new byte[20];
        header[1] = 0x01;
        MagicCookie.CopyTo(header, 4);
        return header;
    }

    private static byte[] AppendAttribute(byte[] message, ushort type, byte[] value)
    {
        var padded = (value.Length + 3) & ~3;
        var result = new byte[message.Length + 4 + padded];
        message.CopyTo(result, 0);
        result[message.Length] = (byte)(type >> 8);
        result[message.Length + 1] = (byte)type;
        result[message.Length + 2] = (byte)(value.Length >> 8);
        result[message.Length + 3] = (byte)value.Length;
        value.CopyTo(result, message.Length + 4);
        var length = result.Length - 20;
        result[2] = (byte)(length >> 8);
        result[3] = (byte)length;
        return result;
    }
}
