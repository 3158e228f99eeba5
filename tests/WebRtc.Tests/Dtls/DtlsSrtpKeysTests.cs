using Nio.WebRtc.Dtls;

namespace Nio.WebRtc.Tests.Dtls;

public sealed class DtlsSrtpKeysTests
{
    [Theory]
    [InlineData(DtlsSrtpProfile.AesCm128HmacSha1_80, 14, 60)]
    [InlineData(DtlsSrtpProfile.AeadAes128Gcm, 12, 56)]
    public void Keying_material_splits_into_client_key_server_key_client_salt_server_salt(DtlsSrtpProfile profile, int saltLength, int total)
    {
        var material = Enumerable.Range(0, total).Select(i => (byte)i).ToArray();

        var keys = DtlsSrtpKeys.FromKeyingMaterial(profile, material);

        Assert.Equal(total, DtlsSrtpKeys.ExportLength(profile));
        Assert.Equal(material[..16], keys.ClientMasterKey.ToArray());
        Assert.Equal(material[16..32], keys.ServerMasterKey.ToArray());
        Assert.Equal(material[32..(32 + saltLength)], keys.ClientMasterSalt.ToArray());
        Assert.Equal(material[(32 + saltLength)..], keys.ServerMasterSalt.ToArray());
    }

    [Fact]
    public void Keying_material_of_the_wrong_length_is_refused()
    {
        Assert.Throws<ArgumentException>(() => DtlsSrtpKeys.FromKeyingMaterial(DtlsSrtpProfile.AeadAes128Gcm, new byte[60]));
    }
}
