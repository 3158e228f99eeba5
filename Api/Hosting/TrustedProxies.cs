using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;

namespace Nio.Api.Hosting;

/// <summary>
/// The reverse proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> the Api believes
/// (<c>NIO_TRUSTED_PROXIES</c>, <c>Http:TrustedProxies</c>). None unless named: a client talking to the Api directly
/// could otherwise write any address into the header and have a fresh budget of every per-address limit each time.
/// </summary>
public static class TrustedProxies
{
    public const string Setting = "Http:TrustedProxies";

    /// <summary>Reads the setting and, when it names proxies, configures the forwarded headers to trust only them.</summary>
    public static void AddNioTrustedProxies(this WebApplicationBuilder builder)
    {
        var networks = Parse(builder.Configuration[Setting]);
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // ASP.NET Core trusts loopback by default: only what the operator named is trusted here.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var network in networks)
            {
                options.KnownIPNetworks.Add(network);
            }

            // Behind a chain of named proxies (a load balancer before nginx) each hop is walked back; the first
            // address that is not a named proxy is the client, whatever the client itself wrote further left.
            options.ForwardLimit = null;
        });
    }

    /// <summary>
    /// Puts the forwarded headers first in the pipeline when proxies are named. Never with an empty list: the
    /// middleware then believes every sender.
    /// </summary>
    public static void UseNioTrustedProxies(this WebApplication app)
    {
        if (Parse(app.Configuration[Setting]).Count > 0)
        {
            app.UseForwardedHeaders();
        }
    }

    /// <summary>
    /// Comma-separated addresses (a /32 or /128 each) and CIDR networks; empty when unset. A wrong entry throws,
    /// so the Api does not start trusting less or more than the operator meant.
    /// </summary>
    public static IReadOnlyList<IPNetwork> Parse(string? setting)
    {
        var networks = new List<IPNetwork>();
        foreach (var entry in (setting ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (IPAddress.TryParse(entry, out var address) && !entry.Contains('/'))
            {
                networks.Add(new IPNetwork(address, address.GetAddressBytes().Length * 8));
            }
            else if (IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else
            {
                throw new FormatException(
                    $"NIO_TRUSTED_PROXIES: '{entry}' is neither an IP address nor a network in CIDR notation (10.0.0.0/8).");
            }
        }

        return networks;
    }
}
