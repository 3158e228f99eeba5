using System.Net;
using System.Text;
using Nio.Fuzz.Engine;
using Nio.WebRtc.Ice;
using Nio.WebRtc.Stun;

namespace Nio.Fuzz.Targets;

/// <summary>
/// A datagram at the WebRTC port that the first byte routes to STUN: <see cref="StunMessage.TryParse"/>, every
/// accessor and the FINGERPRINT and MESSAGE-INTEGRITY checks, then <see cref="IceLiteAgent.Receive"/> with one open
/// session (the credentials of RFC 5769's vectors). A fuzzer cannot forge an HMAC or a CRC, so the datagram is also
/// re-signed, as a peer holding the session's password would send it, and received again from a second address: that
/// reaches role conflicts, nomination and the success response. Nothing may throw, and every answer the agent writes
/// must be a STUN message with a valid FINGERPRINT and MESSAGE-INTEGRITY (when it authenticated the request).
/// </summary>
public sealed class StunTarget : FuzzTarget
{
    // RFC 5769 §2.1: USERNAME "evtj:h6vY" names the receiver's fragment first; the password is the receiver's.
    private static readonly IceCredentials Local = new("evtj", "VOkJxbRl1RmTxUk/WvJxBt");
    private const string RemoteUfrag = "h6vY";
    private static readonly byte[] PasswordKey = Encoding.UTF8.GetBytes(Local.Password);
    private static readonly IPEndPoint First = new(IPAddress.Parse("192.0.2.1"), 32853);
    private static readonly IPEndPoint Second = new(IPAddress.Parse("2001:db8::1"), 50000);

    public override string Name => "stun";

    public override int MaxInputLength => StunMessage.MaxLength + 16;

    public override IReadOnlyList<byte[]> Dictionary { get; } =
    [
        .. Tokens("evtj:h6vY", "evtj:", ":h6vY", "h6vY"),
        // Magic cookie; Binding request, indication, success and error types; the attribute types the agent reads:
        // USERNAME, MESSAGE-INTEGRITY, ERROR-CODE, UNKNOWN-ATTRIBUTES, XOR-MAPPED-ADDRESS, PRIORITY, USE-CANDIDATE,
        // MESSAGE-INTEGRITY-SHA256, FINGERPRINT, ICE-CONTROLLED, ICE-CONTROLLING; and a comprehension-required unknown one.
        [0x21, 0x12, 0xA4, 0x42], [0x00, 0x01], [0x00, 0x11], [0x01, 0x01], [0x01, 0x11],
        [0x00, 0x06], [0x00, 0x08], [0x00, 0x09], [0x00, 0x0A], [0x00, 0x20], [0x00, 0x24], [0x00, 0x25, 0x00, 0x00], [0x00, 0x1C],
        [0x80, 0x28, 0x00, 0x04], [0x80, 0x29, 0x00, 0x08], [0x80, 0x2A, 0x00, 0x08], [0x7F, 0xFF], [0xFF, 0xFF],
    ];

    public override void Run(ReadOnlySpan<byte> input)
    {
        ReadEverything(input);

        var agent = new IceLiteAgent(new IceLiteOptions { MaxEndpointsPerSession = 2 }, TimeProvider.System);
        if (!agent.TryOpen(Local, RemoteUfrag, out var session))
        {
            throw new InvariantViolatedException("an empty agent refused a session");
        }

        Span<byte> response = stackalloc byte[IceLiteAgent.ResponseBufferLength];
        Receive(agent, input, First, response);

        Span<byte> resigned = stackalloc byte[StunMessage.MaxLength];
        var length = Resign(input, resigned);
        if (length > 0)
        {
            Receive(agent, resigned[..length], First, response);
            Receive(agent, resigned[..length], Second, response);
        }

        agent.RemoveExpired([]);
        _ = agent.TryGetSession(First, out _);
        agent.Close(session);
        Receive(agent, input, Second, response);
    }

    public override bool IsRejection(Exception exception) => false;

    private static void ReadEverything(ReadOnlySpan<byte> datagram)
    {
        if (!StunMessage.TryParse(datagram, out var message, out _))
        {
            return;
        }

        _ = (message.Method, message.Class, message.TransactionId.Length, message.HasUseCandidate, message.HasUnknownComprehensionRequiredAttributes);
        _ = (message.Username.Length, message.HasUsername, message.Priority, message.IceControlling, message.IceControlled);
        _ = message.HasValidFingerprint();
        _ = message.HasValidMessageIntegrity(PasswordKey);
        _ = message.TryGetXorMappedAddress(out _);
        _ = message.TryGetErrorCode(out _, out _);
        foreach (var attribute in message.Attributes)
        {
            _ = (attribute.Type, attribute.Value.Length);
        }
    }

    private static void Receive(IceLiteAgent agent, ReadOnlySpan<byte> datagram, IPEndPoint remote, Span<byte> response)
    {
        var result = agent.Receive(datagram, remote, response);
        if (result.Outcome == IceOutcome.Dropped)
        {
            return;
        }

        // What goes back on the wire must be a STUN message the peer accepts.
        var answer = response[..result.ResponseLength];
        ReadEverything(answer);
        if (!StunMessage.TryParse(answer, out var message, out var error) || !message.HasValidFingerprint())
        {
            throw new InvariantViolatedException($"the agent's {result.Outcome} answer is not valid STUN ({error})");
        }

        var authenticated = result.Outcome == IceOutcome.Answered || result.ErrorCode is StunErrorCode.UnknownAttribute or StunErrorCode.RoleConflict;
        if (authenticated && !message.HasValidMessageIntegrity(PasswordKey))
        {
            throw new InvariantViolatedException($"the agent's {result.Outcome} answer ({result.ErrorCode}) lacks a valid MESSAGE-INTEGRITY");
        }
    }

    /// <summary>
    /// The datagram's attributes written again with MESSAGE-INTEGRITY (the session's password) and FINGERPRINT made
    /// right, where it had them; 0 when it is not STUN at all.
    /// </summary>
    private static int Resign(ReadOnlySpan<byte> datagram, Span<byte> destination)
    {
        if (!StunMessage.TryParse(datagram, out var message, out _))
        {
            return 0;
        }

        var writer = new StunMessageWriter(destination, message.Type, message.TransactionId);
        foreach (var attribute in message.Attributes)
        {
            if (attribute.Type is not (StunAttributeType.MessageIntegrity or StunAttributeType.Fingerprint))
            {
                writer.WriteAttribute(attribute.Type, attribute.Value);
            }
        }

        if (message.HasMessageIntegrity)
        {
            writer.WriteMessageIntegrity(PasswordKey);
        }

        if (message.HasFingerprint)
        {
            writer.WriteFingerprint();
        }

        return writer.Length;
    }
}
