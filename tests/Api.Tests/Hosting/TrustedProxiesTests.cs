using System.Net;
using Nio.Api.Hosting;

namespace Nio.Api.Tests.Hosting;

public sealed class TrustedProxiesTests
{
    [Fact]
    public void Addresses_and_networks_are_read_from_one_comma_separated_setting() =>
        Assert.Equal(
            [IPNetwork.Parse("10.9.8.7/32"), IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("2001:db8::/32"), IPNetwork.Parse("::1/128")],
            TrustedProxies.Parse(" 10.9.8.7, 127.0.0.0/8 ,2001:db8::/32,::1,"));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    public void Unset_trusts_no_proxy(string? setting) => Assert.Empty(TrustedProxies.Parse(setting));

    [Theory]
    [InlineData("proxy.internal")]
    [InlineData("10.0.0.300")]
    [InlineData("10.0.0.0/33")]
    public void A_wrong_entry_stops_the_start_with_its_name(string entry)
    {
        var error = Assert.Throws<FormatException>(() => TrustedProxies.Parse($"10.9.8.7,{entry}"));
        Assert.Contains(entry, error.Message);
        Assert.Contains("NIO_TRUSTED_PROXIES", error.Message);
    }
}
