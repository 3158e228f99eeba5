using System.Globalization;
using System.Net;

namespace Nio.WebRtc.Sdp;

/// <summary>An ICE candidate attribute (RFC 8839 §5.1).</summary>
public sealed record IceCandidate(string Foundation, int Component, string Transport, uint Priority, string Address, int Port, string Type)
{
    /// <summary>A host candidate for UDP on <paramref name="address"/>:<paramref name="port"/>, component 1 (RTP, with rtcp-mux).</summary>
    /// <param name="index">The position among this side's addresses: the first gets the highest priority.</param>
    public static IceCandidate Host(IPAddress address, int port, int index)
    {
        // RFC 8445 §5.1.2.1: priority = (2^24)*(type preference) + (2^8)*(local preference) + (2^0)*(256 - component ID),
        // with 126 the recommended type preference for host candidates and 65535 the highest local preference.
        var localPreference = (uint)Math.Max(0, 65535 - index);
        var priority = (126u << 24) + (localPreference << 8) + (256u - 1);
        return new IceCandidate((index + 1).ToString(CultureInfo.InvariantCulture), 1, "udp", priority, address.ToString(), port, "host");
    }

    /// <summary>
    /// Reads the value of an <c>a=candidate:</c> attribute:
    /// foundation SP component-id SP transport SP priority SP connection-address SP port SP "typ" SP cand-type *(SP extension).
    /// </summary>
    public static bool TryParse(string value, out IceCandidate? candidate)
    {
        candidate = null;
        var fields = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 8 || fields[6] != "typ"
            || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var component) || component is < 1 or > 256
            || !uint.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var priority)
            || !int.TryParse(fields[5], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535
            || fields[0].Length is 0 or > 32)
        {
            return false;
        }

        candidate = new IceCandidate(fields[0], component, fields[2].ToLowerInvariant(), priority, fields[4], port, fields[7]);
        return true;
    }

    /// <summary>The attribute value, without the <c>candidate:</c> name.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Foundation} {Component} {Transport} {Priority} {Address} {Port} typ {Type}");
}
