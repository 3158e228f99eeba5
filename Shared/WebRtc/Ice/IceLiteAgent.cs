using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Nio.WebRtc.Stun;

namespace Nio.WebRtc.Ice;

/// <summary>What the agent did with a datagram.</summary>
public enum IceOutcome
{
    /// <summary>Nothing to send (see <see cref="IceReceiveResult.DropReason"/>).</summary>
    Dropped,

    /// <summary>A valid check: the response holds a Binding success response for the sender.</summary>
    Answered,

    /// <summary>A check for a known session that failed: the response holds a Binding error response (<see cref="IceReceiveResult.ErrorCode"/>).</summary>
    Rejected,
}

/// <summary>Why a datagram got no answer.</summary>
public enum IceDropReason
{
    None,

    /// <summary>Not a well-formed STUN message.</summary>
    Malformed,

    /// <summary>A STUN message other than a Binding request (indications are keepalives; responses are not expected by a lite agent).</summary>
    NotABindingRequest,

    /// <summary>FINGERPRINT missing or wrong.</summary>
    BadFingerprint,

    /// <summary>No USERNAME, or one whose local fragment names no session: a stranger gets no answer.</summary>
    UnknownUfrag,
}

/// <summary>
/// The result of <see cref="IceLiteAgent.Receive"/>: the first <see cref="ResponseLength"/> bytes of the response
/// buffer go back to the sender; <see cref="NominatedEndpointChanged"/> says the session now sends to the sender.
/// </summary>
public readonly record struct IceReceiveResult(
    IceOutcome Outcome,
    IceDropReason DropReason,
    int ResponseLength,
    int ErrorCode,
    IceLiteSession? Session,
    bool EndpointValidated,
    bool NominatedEndpointChanged)
{
    internal static IceReceiveResult Drop(IceDropReason reason) => new(IceOutcome.Dropped, reason, 0, 0, null, false, false);
}

/// <summary>
/// An ICE-lite agent (RFC 8445 §2.5, §8.2) for every session on one UDP port, sans-IO: the caller hands in each STUN
/// datagram with its sender and gets back the bytes to answer with and what changed. Lite agents only answer checks:
/// they never send any, are always controlled, and learn the remote address from the checks they answer.
/// Thread-safe: the UDP loop calls <see cref="Receive"/> while request handlers open and close sessions.
/// </summary>
public sealed class IceLiteAgent
{
    /// <summary>A response buffer of this size fits every answer the agent writes.</summary>
    public const int ResponseBufferLength = 256;

    private const int MaxUnknownAttributesListed = 8;

    private readonly IceLiteOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, IceLiteSession> _byUfrag = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IceLiteSession>.AlternateLookup<ReadOnlySpan<char>> _byUfragSpan;
    private readonly ConcurrentDictionary<IPEndPoint, IceLiteSession> _byEndpoint = new();

    public IceLiteAgent(IceLiteOptions options, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.ConsentTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxSessions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxEndpointsPerSession, 1);
        _options = options;
        _time = time;
        _byUfragSpan = _byUfrag.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int SessionCount => _byUfrag.Count;

    /// <summary>
    /// Opens a session for a peer whose offer carried <paramref name="remoteUfrag"/>, with fresh local credentials
    /// for the answer. False when <see cref="IceLiteOptions.MaxSessions"/> are open.
    /// </summary>
    public bool TryOpen(string remoteUfrag, out IceLiteSession session)
    {
        // 48 random bits make a collision unlikely, not impossible: draw again until the fragment is free.
        while (true)
        {
            if (TryOpen(IceCredentials.Generate(), remoteUfrag, out session, out var full))
            {
                return true;
            }

            if (full)
            {
                return false;
            }
        }
    }

    /// <summary>Opens a session with given local credentials (a replayed capture, say); false when the fragment is taken or the agent is full.</summary>
    public bool TryOpen(IceCredentials local, string remoteUfrag, out IceLiteSession session) => TryOpen(local, remoteUfrag, out session, out _);

    private bool TryOpen(IceCredentials local, string remoteUfrag, out IceLiteSession session, out bool full)
    {
        if (!IceCredentials.IsValidUfrag(remoteUfrag) || !IceCredentials.IsValidUfrag(local.Ufrag) || !IceCredentials.IsValidPassword(local.Password))
        {
            throw new ArgumentException("Not ICE credentials (ufrag 4-256 ice-chars, password 22-256).");
        }

        session = null!;
        full = _byUfrag.Count >= _options.MaxSessions;
        if (full)
        {
            return false;
        }

        var opened = new IceLiteSession(local, remoteUfrag, _time.GetTimestamp());
        if (!_byUfrag.TryAdd(local.Ufrag, opened))
        {
            return false;
        }

        session = opened;
        return true;
    }

    /// <summary>Closes a session (WHIP DELETE, the publisher replaced): its checks are dropped from now on.</summary>
    public void Close(IceLiteSession session)
    {
        if (((ICollection<KeyValuePair<string, IceLiteSession>>)_byUfrag).Remove(new(session.Local.Ufrag, session)))
        {
            session.MarkClosed();
            foreach (var endpoint in session.ValidatedEndpoints())
            {
                ForgetEndpoint(endpoint, session);
            }
        }
    }

    /// <summary>The session a validated remote address belongs to, for routing its DTLS and SRTP datagrams.</summary>
    public bool TryGetSession(IPEndPoint remote, out IceLiteSession? session) => _byEndpoint.TryGetValue(remote, out session);

    /// <summary>
    /// The peer showed it is still there by other means than a check: the caller received media from one of the
    /// session's validated addresses that passed SRTP authentication, which only the peer holding the DTLS keys can
    /// send. ICE stacks that keep their pair alive with Binding indications (RFC 8445 §11; libnice sends one every
    /// 25 s) send no check at all while media flows, and must not be taken for gone.
    /// </summary>
    public void KeepAlive(IceLiteSession session) => session.KeepAlive(_time.GetTimestamp());

    /// <summary>
    /// Closes every session with neither a valid check nor a <see cref="KeepAlive"/> for
    /// <see cref="IceLiteOptions.ConsentTimeout"/> and adds it to <paramref name="expired"/>; the caller ends those
    /// broadcasts. Call it every second or so.
    /// </summary>
    public void RemoveExpired(ICollection<IceLiteSession> expired)
    {
        var now = _time.GetTimestamp();
        foreach (var (_, session) in _byUfrag)
        {
            // RFC 7675 §5.1: "Consent expires after 30 seconds": the peer's checks (sent every 5 s or so) and its
            // authenticated media are what a lite agent, which sends no checks, sees of a peer that is still there.
            if (_time.GetElapsedTime(session.LastConsent, now) > _options.ConsentTimeout)
            {
                Close(session);
                expired.Add(session);
            }
        }
    }

    /// <summary>
    /// Handles one STUN datagram from <paramref name="remote"/>. Writes the answer, if any, into
    /// <paramref name="response"/> (at least <see cref="ResponseBufferLength"/> bytes). Never throws for any input.
    /// </summary>
    public IceReceiveResult Receive(ReadOnlySpan<byte> datagram, IPEndPoint remote, Span<byte> response)
    {
        if (response.Length < ResponseBufferLength)
        {
            throw new ArgumentException($"The response buffer must hold {ResponseBufferLength} bytes.", nameof(response));
        }

        if (!StunMessage.TryParse(datagram, out var request, out _))
        {
            return IceReceiveResult.Drop(IceDropReason.Malformed);
        }

        if (request.Method != StunMethod.Binding || request.Class != StunClass.Request)
        {
            return IceReceiveResult.Drop(IceDropReason.NotABindingRequest);
        }

        // Connectivity checks carry FINGERPRINT (RFC 8445 §7.2.2); without a valid one the datagram is not ours.
        if (!request.HasValidFingerprint())
        {
            return IceReceiveResult.Drop(IceDropReason.BadFingerprint);
        }

        if (!TryFindSession(request.Username, out var session))
        {
            return IceReceiveResult.Drop(IceDropReason.UnknownUfrag);
        }

        // RFC 8489 §9.1.3: "If the message does not contain both a MESSAGE-INTEGRITY and a USERNAME attribute ...
        // the server MUST reply with an error response ... 400 (Bad Request)." "If the USERNAME does not contain a
        // username value currently valid within the server ... [or] the resulting value does not match the contents
        // of the MESSAGE-INTEGRITY attribute ... 401 (Unauthenticated)." Neither carries MESSAGE-INTEGRITY.
        if (!request.HasMessageIntegrity)
        {
            return Reject(request, session, response, StunErrorCode.BadRequest, "Bad Request", authenticated: false);
        }

        if (!request.Username.SequenceEqual(session.ExpectedUsername) || !request.HasValidMessageIntegrity(session.PasswordKey))
        {
            return Reject(request, session, response, StunErrorCode.Unauthorized, "Unauthenticated", authenticated: false);
        }

        // RFC 8489 §6.3.1: "If the request contains one or more unknown comprehension-required attributes, the server
        // replies with an error response with an error code of 420 (Unknown Attribute) and includes an
        // UNKNOWN-ATTRIBUTES attribute in the response that lists the unknown comprehension-required attributes."
        if (request.HasUnknownComprehensionRequiredAttributes)
        {
            return Reject(request, session, response, StunErrorCode.UnknownAttribute, "Unknown Attribute", authenticated: true);
        }

        // A lite agent is always controlled (RFC 8445 §6.1.1). A peer that also claims the controlled role is told so
        // the way RFC 8445 §7.3.1.1 does it for a controlled agent whose tie-breaker wins: "the agent generates a
        // Binding error response and includes an ERROR-CODE attribute with a value of 487 (Role Conflict)".
        if (request.IceControlled is not null)
        {
            return Reject(request, session, response, StunErrorCode.RoleConflict, "Role Conflict", authenticated: true);
        }

        var (isNew, selectedChanged, forgotten) = session.Validate(remote, request.HasUseCandidate, _time.GetTimestamp(), _options.MaxEndpointsPerSession);
        if (forgotten is not null)
        {
            ForgetEndpoint(forgotten, session);
        }

        if (isNew)
        {
            _byEndpoint[remote] = session;
            if (session.IsClosed)
            {
                // Closed while this check was being answered: Close may have missed the address just added.
                ForgetEndpoint(remote, session);
            }
        }

        // RFC 8489 §7.3.1: the success response carries XOR-MAPPED-ADDRESS, the source transport address of the request;
        // RFC 8445 §7.3: it is authenticated with the same short-term password, and carries FINGERPRINT.
        var writer = new StunMessageWriter(response, StunMessageType.Compose(StunMethod.Binding, StunClass.SuccessResponse), request.TransactionId);
        writer.WriteXorMappedAddress(remote);
        writer.WriteMessageIntegrity(session.PasswordKey);
        writer.WriteFingerprint();
        return new IceReceiveResult(IceOutcome.Answered, IceDropReason.None, writer.Length, 0, session, isNew, selectedChanged);
    }

    private bool TryFindSession(ReadOnlySpan<byte> username, out IceLiteSession session)
    {
        session = null!;
        var colon = username.IndexOf((byte)':');
        if (colon is < 4 or > 256)
        {
            return false;
        }

        // ice-chars are ASCII: anything else becomes '?', which no fragment contains.
        Span<char> ufrag = stackalloc char[colon];
        Encoding.ASCII.GetChars(username[..colon], ufrag);
        return _byUfragSpan.TryGetValue(ufrag, out session!);
    }

    private static IceReceiveResult Reject(
        StunMessage request, IceLiteSession session, Span<byte> response, int code, string reason, bool authenticated)
    {
        var writer = new StunMessageWriter(response, StunMessageType.Compose(StunMethod.Binding, StunClass.ErrorResponse), request.TransactionId);
        writer.WriteErrorCode(code, reason);
        if (code == StunErrorCode.UnknownAttribute)
        {
            Span<ushort> unknown = stackalloc ushort[MaxUnknownAttributesListed];
            var count = 0;
            foreach (var attribute in request.Attributes)
            {
                if (!StunAttributeType.IsUnderstood(attribute.Type) && count < unknown.Length && !unknown[..count].Contains(attribute.Type))
                {
                    unknown[count++] = attribute.Type;
                }
            }

            writer.WriteUnknownAttributes(unknown[..count]);
        }

        if (authenticated)
        {
            writer.WriteMessageIntegrity(session.PasswordKey);
        }

        writer.WriteFingerprint();
        return new IceReceiveResult(IceOutcome.Rejected, IceDropReason.None, writer.Length, code, session, false, false);
    }

    private void ForgetEndpoint(IPEndPoint endpoint, IceLiteSession session) =>
        ((ICollection<KeyValuePair<IPEndPoint, IceLiteSession>>)_byEndpoint).Remove(new(endpoint, session));
}
