namespace Nio.WebRtc.Srtp;

/// <summary>
/// The replay list of one stream as a sliding bitmap (RFC 3711 §3.3.2): "The receiver checks if the packet index is
/// within the window and not already received, or to the right of the window ... The window size ... MUST be at least
/// 64." This one spans 128 indices.
/// </summary>
internal struct SrtpReplayWindow
{
    public const int Size = 128;

    private ulong _highest;
    private UInt128 _received; // bit k: index _highest - k has been received
    private bool _started;

    public readonly ulong Highest => _highest;

    public readonly bool IsStarted => _started;

    /// <summary>True when <paramref name="index"/> is new: ahead of the window, or inside it and not yet seen.</summary>
    public readonly bool IsNew(ulong index)
    {
        if (!_started || index > _highest)
        {
            return true;
        }

        var behind = _highest - index;
        return behind < Size && (_received & (UInt128.One << (int)behind)) == 0;
    }

    /// <summary>Records an authenticated index: "the replay list is updated only after the packet is authenticated".</summary>
    public void Accept(ulong index)
    {
        if (!_started)
        {
            _started = true;
            _highest = index;
            _received = UInt128.One;
        }
        else if (index > _highest)
        {
            var ahead = index - _highest;
            _received = ahead >= Size ? UInt128.One : (_received << (int)ahead) | UInt128.One;
            _highest = index;
        }
        else
        {
            _received |= UInt128.One << (int)(_highest - index);
        }
    }
}
