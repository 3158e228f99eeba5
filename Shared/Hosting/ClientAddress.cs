using System.Net;
using System.Net.Sockets;

namespace Nio.Shared.Hosting;

/// <summary>Who a client is, for limits counted per client: the key every per-address limit partitions on.</summary>
public static class ClientAddress
{
    /// <summary>The key of connections whose peer address is not known (in-process test servers).</summary>
    public const string Unknown = "unknown";

    /// <summary>
    /// An IPv4 address as it is (also when written IPv4-mapped, <c>::ffff:203.0.113.7</c>); an IPv6 address by its /64
    /// prefix, <c>2001:db8:1:2::/64</c>: a home or a server is given at least a /64 and picks any address in it, so
    /// keying on the whole address would give one client 2^64 budgets.
    /// </summary>
    public static string Key(IPAddress? address) =>
        address is null ? Unknown : Counted(address) is var counted && counted.AddressFamily == AddressFamily.InterNetworkV6
            ? $"{counted}/64" : counted.ToString();

    /// <summary>The address a client is counted under: IPv4 as it is (also when IPv4-mapped), IPv6 with its last 64 bits cleared.</summary>
    public static IPAddress Counted(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes);
    }
}
