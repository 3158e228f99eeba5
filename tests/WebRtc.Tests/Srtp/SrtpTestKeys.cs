using Nio.WebRtc.Srtp;

namespace Nio.WebRtc.Tests.Srtp;

internal static class SrtpTestKeys
{
    public static readonly SrtpProfile[] Profiles = [SrtpProfile.AesCm128HmacSha1_80, SrtpProfile.AeadAes128Gcm];

    public static TheoryData<SrtpProfile> ProfileData => [.. Profiles];

    /// <summary>The master key of RFC 3711 Appendix B.3 and a salt of the profile's length.</summary>
    public static (byte[] Key, byte[] Salt) Master(SrtpProfile profile) =>
        (Hex.Bytes("E1F97A0D3E018BE0D64FA32C06DE4139"), Hex.Bytes("0EC675AD498AFEEBB6960B3AABE6")[..SrtpProfiles.SaltLength(profile)]);

    public static SrtpContext Context(SrtpProfile profile)
    {
        var (key, salt) = Master(profile);
        return new SrtpContext(profile, key, salt);
    }

    public static byte[] WithRoom(byte[] packet, int room)
    {
        var buffer = new byte[packet.Length + room];
        packet.CopyTo(buffer, 0);
        return buffer;
    }
}
