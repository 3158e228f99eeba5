namespace Nio.WebRtc.Ice;

/// <summary>Limits of the ICE-lite agent.</summary>
public sealed class IceLiteOptions
{
    /// <summary>
    /// A session without a valid Binding request for this long has lost consent and is reported expired. RFC 7675
    /// §5.1: "Consent expires after 30 seconds"; browsers send a consent check every 5 s or so.
    /// </summary>
    public TimeSpan ConsentTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>At most this many sessions at once; opening another fails.</summary>
    public int MaxSessions { get; set; } = 1000;

    /// <summary>
    /// At most this many remote addresses validated per session (one per candidate pair the peer checks); the oldest
    /// is forgotten when another arrives.
    /// </summary>
    public int MaxEndpointsPerSession { get; set; } = 8;
}
