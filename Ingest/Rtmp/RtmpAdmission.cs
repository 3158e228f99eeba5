using System.Net;
using Microsoft.Extensions.Options;
using Nio.Shared.Hosting;

namespace Nio.Ingest.Rtmp;

/// <summary>
/// Who gets an RTMP connection: at most <see cref="RtmpOptions.MaxConnections"/> open at once and
/// <see cref="RtmpOptions.MaxConnectionsPerAddress"/> from one address (the hub limits refused stream keys, for every
/// protocol). An IPv6 address counts by its /64, the block one subscriber is given and can draw any number of addresses from.
/// </summary>
public sealed class RtmpAdmission
{
    private readonly RtmpOptions options;
    private readonly Lock gate = new();
    private readonly Dictionary<IPAddress, int> openPerAddress = [];
    private int open;

    public RtmpAdmission(IOptions<RtmpOptions> options) => this.options = options.Value;

    /// <summary>The connection's ticket, or null (and why) when a cap is reached: then close the connection at once.</summary>
    public Ticket? TryAdmit(EndPoint? remote, out string? refusal)
    {
        var address = CountedAddress(remote);
        lock (gate)
        {
            var fromAddress = openPerAddress.GetValueOrDefault(address);
            refusal = open >= options.MaxConnections ? $"{open} RTMP connections are open, the most allowed"
                : fromAddress >= options.MaxConnectionsPerAddress ? $"{fromAddress} RTMP connections from {address} are open, the most allowed"
                : null;
            if (refusal is not null)
            {
                return null;
            }

            openPerAddress[address] = fromAddress + 1;
            open++;
        }

        return new Ticket(this, address);
    }

    /// <summary>The address a connection is counted under (<see cref="ClientAddress.Counted"/>).</summary>
    public static IPAddress CountedAddress(EndPoint? remote) =>
        remote is IPEndPoint { Address: var address } ? ClientAddress.Counted(address) : IPAddress.None;

    private void Leave(IPAddress address)
    {
        lock (gate)
        {
            open--;
            var left = openPerAddress[address] - 1;
            if (left == 0)
            {
                openPerAddress.Remove(address);
            }
            else
            {
                openPerAddress[address] = left;
            }
        }
    }

    /// <summary>One connection's place under the caps, given back when disposed.</summary>
    public sealed class Ticket(RtmpAdmission admission, IPAddress address) : IDisposable
    {
        private int left;

        public IPAddress Address => address;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref left, 1) == 0)
            {
                admission.Leave(address);
            }
        }
    }
}
