using Nio.WebRtc.Srtp;

namespace Nio.WebRtc.Tests.Srtp;

/// <summary>The published known answers: RFC 3711 Appendix B.2 and B.3, RFC 7714 §16 and §17.</summary>
public sealed class SrtpTestVectorTests
{
    // RFC 7714 §16 and §17: the session key and salt are given directly; no key derivation.
    private static readonly byte[] GcmKey = Hex.Bytes("000102030405060708090a0b0c0d0e0f");
    private static readonly byte[] GcmSalt = Hex.Bytes("517569642070726f2071756f");

    private static readonly byte[] Rfc7714Rtp = Hex.Bytes("""
        8040f17b 8041f8d3 5501a0b2 47616c6c
        69612065 7374206f 6d6e6973 20646976
        69736120 696e2070 61727465 73207472
        6573
        """);

    private static readonly byte[] Rfc7714Rtcp = Hex.Bytes("""
        81c8000d 4d617273 4e545031 4e545032
        52545020 0000042a 0000e930 4c756e61
        deadbeef deadbeef deadbeef deadbeef
        deadbeef
        """);

    [Fact]
    public void The_AES_counter_mode_keystream_is_the_one_of_RFC_3711_B_2()
    {
        using var cipher = new AesCounterMode(Hex.Bytes("2B7E151628AED2A6ABF7158809CF4F3C"));
        var keystream = new byte[0xFF02 * 16];
        cipher.Apply(Hex.Bytes("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000"), keystream);

        Assert.Equal(Hex.Bytes("E03EAD0935C95E80E166B16DD92B4EB4"), keystream[..16]);
        Assert.Equal(Hex.Bytes("D23513162B02D0F72A43A2FE4A5F97AB"), keystream[16..32]);
        Assert.Equal(Hex.Bytes("41E95B3BB0A2E8DD477901E4FCA894C0"), keystream[32..48]);
        Assert.Equal(Hex.Bytes("EC8CDF7398607CB0F2D21675EA9EA1E4"), keystream[(0xFEFF * 16)..(0xFF00 * 16)]);
        Assert.Equal(Hex.Bytes("362B7C3C6773516318A077D7FC5073AE"), keystream[(0xFF00 * 16)..(0xFF01 * 16)]);
        Assert.Equal(Hex.Bytes("6A2CC3787889374FBEB4C81B17BA6C44"), keystream[(0xFF01 * 16)..]);
    }

    [Fact]
    public void Session_keys_derived_from_a_master_key_are_those_of_RFC_3711_B_3()
    {
        var masterKey = Hex.Bytes("E1F97A0D3E018BE0D64FA32C06DE4139");
        var masterSalt = Hex.Bytes("0EC675AD498AFEEBB6960B3AABE6");
        var cipherKey = new byte[16];
        var cipherSalt = new byte[14];
        var authKey = new byte[94];

        SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtpEncryption, cipherKey);
        SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtpSalt, cipherSalt);
        SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtpAuthentication, authKey);

        Assert.Equal(Hex.Bytes("C61E7A93744F39EE10734AFE3FF7A087"), cipherKey);
        Assert.Equal(Hex.Bytes("30CBBC08863D8C85D49DB34A9AE1"), cipherSalt);
        Assert.Equal(Hex.Bytes("""
            CEBE321F6FF7716B6FD4AB49AF256A15
            6D38BAA48F0A0ACF3C34E2359E6CDBCE
            E049646C43D9327AD175578EF7227098
            6371C10C9A369AC2F94A8C5FBCDDDC25
            6D6E919A48B610EF17C2041E47403576
            6B68642C59BBFC2F34DB60DBDFB2
            """), authKey);
    }

    [Fact]
    public void AES_GCM_protects_and_unprotects_RTP_as_RFC_7714_section_16_1_shows()
    {
        var expected = Hex.Bytes("""
            8040f17b 8041f8d3 5501a0b2 f24de3a3
            fb34de6c acba861c 9d7e4bca be633bd5
            0d294e6f 42a5f47a 51c7d19b 36de3adf
            8833899d 7f27beb1 6a9152cf 765ee439
            0cce
            """);
        using var sender = SrtpContext.FromSessionKeys(SrtpProfile.AeadAes128Gcm, GcmKey, GcmSalt, []);
        var buffer = SrtpTestKeys.WithRoom(Rfc7714Rtp, 16);

        Assert.Equal(SrtpStatus.Ok, sender.ProtectRtp(buffer, Rfc7714Rtp.Length, out var protectedLength));
        Assert.Equal(expected, buffer[..protectedLength]);

        using var receiver = SrtpContext.FromSessionKeys(SrtpProfile.AeadAes128Gcm, GcmKey, GcmSalt, []);
        Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(expected, out var length));
        Assert.Equal(Rfc7714Rtp, expected[..length]);
    }

    [Fact]
    public void AES_GCM_protects_and_unprotects_RTCP_as_RFC_7714_section_17_1_shows()
    {
        var expected = Hex.Bytes("""
            81c8000d 4d617273 63e94885 dcdab67c
            a727d766 2f6b7e99 7ff5c0f7 6c06f32d
            c676a5f1 730d6fda 4ce09b46 86303ded
            0bb9275b c84aa458 96cf4d2f c5abf872
            45d9eade 800005d4
            """);
        using var sender = SrtpContext.FromSessionKeys(SrtpProfile.AeadAes128Gcm, GcmKey, GcmSalt, []);
        var buffer = SrtpTestKeys.WithRoom(Rfc7714Rtcp, 20);
        // The vector's SRTCP index is 0x5d4: that many packets of this SSRC went before it.
        for (var i = 0; i < 0x5d4; i++)
        {
            Rfc7714Rtcp.CopyTo(buffer, 0);
            Assert.Equal(SrtpStatus.Ok, sender.ProtectRtcp(buffer, Rfc7714Rtcp.Length, out _));
        }

        Rfc7714Rtcp.CopyTo(buffer, 0);
        Assert.Equal(SrtpStatus.Ok, sender.ProtectRtcp(buffer, Rfc7714Rtcp.Length, out var protectedLength));
        Assert.Equal(expected, buffer[..protectedLength]);

        using var receiver = SrtpContext.FromSessionKeys(SrtpProfile.AeadAes128Gcm, GcmKey, GcmSalt, []);
        Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtcp(expected, out var length));
        Assert.Equal(Rfc7714Rtcp, expected[..length]);
    }

    [Fact]
    public void AES_GCM_authenticates_unencrypted_RTCP_as_RFC_7714_section_17_3_shows()
    {
        var authenticatedOnly = Hex.Bytes("""
            81c8000d 4d617273 4e545031 4e545032
            52545020 0000042a 0000e930 4c756e61
            deadbeef deadbeef deadbeef deadbeef
            deadbeef 841dd968 3dd78ec9 2ae58790
            125f62b3 000005d4
            """);
        using var receiver = SrtpContext.FromSessionKeys(SrtpProfile.AeadAes128Gcm, GcmKey, GcmSalt, []);

        Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtcp(authenticatedOnly, out var length));
        Assert.Equal(Rfc7714Rtcp, authenticatedOnly[..length]);
    }
}
