namespace Nio.WebRtc.Sdp;

/// <summary>
/// A trickle ICE SDP fragment (RFC 8840 §9, <c>application/trickle-ice-sdpfrag</c>) as a WHIP PATCH carries it
/// (RFC 9725 §4.3): the ICE credentials it names, its candidates and whether it ends them.
/// </summary>
public sealed class TrickleIceFragment
{
    /// <summary>A fragment has a few candidates; beyond this many the rest are ignored.</summary>
    public const int MaxCandidates = 64;

    private TrickleIceFragment(string? ufrag, string? password, IReadOnlyList<IceCandidate> candidates, bool endOfCandidates)
    {
        IceUfrag = ufrag;
        IcePassword = password;
        Candidates = candidates;
        EndOfCandidates = endOfCandidates;
    }

    public string? IceUfrag { get; }

    public string? IcePassword { get; }

    public IReadOnlyList<IceCandidate> Candidates { get; }

    public bool EndOfCandidates { get; }

    /// <summary>
    /// The fragment restarts ICE: it names a username fragment other than the session's (an ICE restart carries new
    /// credentials, RFC 8445 §9, RFC 9725 §4.3.2). NIO does not restart ICE; the WHIP endpoint answers 422.
    /// </summary>
    public bool IsIceRestart(string currentRemoteUfrag) => IceUfrag is not null && IceUfrag != currentRemoteUfrag;

    public static TrickleIceFragment Parse(string text)
    {
        var description = SessionDescription.Parse(text, fragment: true);
        var attributes = description.Attributes.Concat(description.Media.SelectMany(m => m.Attributes)).ToList();
        var ufrag = attributes.FirstOrDefault(a => a.Name == "ice-ufrag").Value;
        var password = attributes.FirstOrDefault(a => a.Name == "ice-pwd").Value;
        if ((ufrag is not null && !Ice.IceCredentials.IsValidUfrag(ufrag)) || (password is not null && !Ice.IceCredentials.IsValidPassword(password)))
        {
            throw new SdpException(SdpError.NoIceCredentials, "The fragment's ICE credentials are not ice-chars of the allowed lengths.");
        }

        var candidates = new List<IceCandidate>();
        foreach (var attribute in attributes.Where(a => a.Name == "candidate").Take(MaxCandidates))
        {
            if (!IceCandidate.TryParse(attribute.Value, out var candidate))
            {
                throw new SdpException(SdpError.Malformed, $"Not a candidate: 'a=candidate:{SessionDescription.Excerpt(attribute.Value)}'.");
            }

            candidates.Add(candidate!);
        }

        return new TrickleIceFragment(ufrag, password, candidates, attributes.Any(a => a.Name == "end-of-candidates"));
    }
}
