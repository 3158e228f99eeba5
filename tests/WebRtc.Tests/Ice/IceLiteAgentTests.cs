using System.Net;
using System.Security.Cryptography;
using System.Text;
using Nio.WebRtc.Ice;
using Nio.WebRtc.Stun;

namespace Nio.WebRtc.Tests.Ice;

public class IceLiteAgentTests
{
    private const string RemoteUfrag = "H82V";
    private static readonly IPEndPoint Browser = new(IPAddress.Parse("192.0.2.2"), 60339);
    private static readonly IPEndPoint BrowserOnAnotherNetwork = new(IPAddress.Parse("2001:db8::7"), 51355);

    private readonly ManualTime _time = new();
    private readonly IceLiteAgent _agent;
    private readonly IceLiteSession _session;
    private readonly byte[] _response = new byte[IceLiteAgent.ResponseBufferLength];

    public IceLiteAgentTests()
    {
        _agent = new IceLiteAgent(new IceLiteOptions(), _time);
        Assert.True(_agent.TryOpen(RemoteUfrag, out _session));
    }

    [Fact]
    public void A_check_with_the_right_credentials_is_answered_with_the_senders_address()
    {
        var request = Check(_session);

        var result = _agent.Receive(request, Browser, _response);

        Assert.Equal(IceOutcome.Answered, result.Outcome);
        Assert.Same(_session, result.Session);
        Assert.True(result.EndpointValidated);
        Assert.False(result.NominatedEndpointChanged);
        Assert.Null(_session.SelectedEndpoint);
        Assert.True(StunMessage.TryParse(_response.AsSpan(0, result.ResponseLength), out var response, out _));
        Assert.Equal(StunClass.SuccessResponse, response.Class);
        Assert.Equal(StunMethod.Binding, response.Method);
        Assert.Equal(request.AsSpan(8, 12).ToArray(), response.TransactionId.ToArray());
        Assert.True(response.TryGetXorMappedAddress(out var mapped));
        Assert.Equal(Browser, mapped);
        Assert.True(response.HasValidMessageIntegrity(Encoding.ASCII.GetBytes(_session.Local.Password)));
        Assert.True(response.HasValidFingerprint());
    }

    [Fact]
    public void A_nominating_check_selects_the_senders_address_and_a_later_nomination_replaces_it()
    {
        var first = _agent.Receive(Check(_session, useCandidate: true), Browser, _response);
        var again = _agent.Receive(Check(_session, useCandidate: true), Browser, _response);
        var moved = _agent.Receive(Check(_session, useCandidate: true), BrowserOnAnotherNetwork, _response);

        Assert.True(first.NominatedEndpointChanged);
        Assert.False(again.NominatedEndpointChanged);
        Assert.False(again.EndpointValidated);
        Assert.True(moved.NominatedEndpointChanged);
        Assert.True(moved.EndpointValidated);
        Assert.Equal(BrowserOnAnotherNetwork, _session.SelectedEndpoint);
        Assert.True(_session.IsValidated(Browser));
    }

    [Fact]
    public void A_check_with_the_wrong_password_is_refused_with_401_and_changes_nothing()
    {
        var result = _agent.Receive(Check(_session, password: "0123456789012345678901xx"), Browser, _response);

        Assert.Equal(IceOutcome.Rejected, result.Outcome);
        Assert.Equal(401, result.ErrorCode);
        AssertErrorResponse(result, 401, integrity: false);
        Assert.False(_session.IsValidated(Browser));
        Assert.False(_agent.TryGetSession(Browser, out _));
    }

    [Fact]
    public void A_check_naming_another_remote_fragment_is_refused_with_401()
    {
        var result = _agent.Receive(Check(_session, username: $"{_session.Local.Ufrag}:XXXX"), Browser, _response);

        Assert.Equal(401, result.ErrorCode);
        AssertErrorResponse(result, 401, integrity: false);
    }

    [Fact]
    public void A_check_without_message_integrity_is_refused_with_400()
    {
        var result = _agent.Receive(Check(_session, integrity: false), Browser, _response);

        AssertErrorResponse(result, 400, integrity: false);
    }

    [Fact]
    public void A_check_for_an_unknown_fragment_or_without_username_gets_no_answer()
    {
        var stranger = _agent.Receive(Check(_session, username: "nope:H82V"), Browser, _response);
        var anonymous = _agent.Receive(Check(_session, username: null), Browser, _response);

        Assert.Equal(IceDropReason.UnknownUfrag, stranger.DropReason);
        Assert.Equal(IceDropReason.UnknownUfrag, anonymous.DropReason);
        Assert.Equal(0, stranger.ResponseLength);
    }

    [Fact]
    public void A_check_without_a_valid_fingerprint_is_dropped()
    {
        var noFingerprint = _agent.Receive(Check(_session, fingerprint: false), Browser, _response);
        var tampered = Check(_session);
        tampered[^1] ^= 1;

        Assert.Equal(IceDropReason.BadFingerprint, noFingerprint.DropReason);
        Assert.Equal(IceDropReason.BadFingerprint, _agent.Receive(tampered, Browser, _response).DropReason);
    }

    [Fact]
    public void Indications_and_responses_are_not_answered()
    {
        var indication = Check(_session, messageClass: StunClass.Indication);
        var response = Check(_session, messageClass: StunClass.SuccessResponse);

        Assert.Equal(IceDropReason.NotABindingRequest, _agent.Receive(indication, Browser, _response).DropReason);
        Assert.Equal(IceDropReason.NotABindingRequest, _agent.Receive(response, Browser, _response).DropReason);
    }

    [Fact]
    public void A_peer_that_also_claims_the_controlled_role_gets_a_role_conflict()
    {
        var result = _agent.Receive(Check(_session, controlled: true), Browser, _response);

        AssertErrorResponse(result, 487, integrity: true);
        Assert.False(_session.IsValidated(Browser));
    }

    [Fact]
    public void An_unknown_comprehension_required_attribute_gets_420_listing_it()
    {
        var result = _agent.Receive(Check(_session, extraAttribute: 0x7ABC), Browser, _response);

        AssertErrorResponse(result, 420, integrity: true);
        Assert.True(StunMessage.TryParse(_response.AsSpan(0, result.ResponseLength), out var response, out _));
        var listed = Array.Empty<byte>();
        foreach (var attribute in response.Attributes)
        {
            if (attribute.Type == StunAttributeType.UnknownAttributes)
            {
                listed = attribute.Value.ToArray();
            }
        }

        Assert.Equal(new byte[] { 0x7A, 0xBC }, listed);
    }

    [Fact]
    public void A_session_whose_checks_stop_is_reported_expired_once_after_the_consent_timeout()
    {
        Assert.True(_agent.TryOpen("busy", out var busy));
        _agent.Receive(Check(_session, useCandidate: true), Browser, _response);
        var expired = new List<IceLiteSession>();

        for (var second = 0; second < 30; second++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            _agent.Receive(Check(busy), BrowserOnAnotherNetwork, _response);
            _agent.RemoveExpired(expired);
        }

        Assert.Empty(expired);
        _time.Advance(TimeSpan.FromSeconds(1));
        _agent.RemoveExpired(expired);
        _agent.RemoveExpired(expired);

        Assert.Equal([_session], expired);
        Assert.True(_session.IsClosed);
        Assert.False(busy.IsClosed);
        Assert.False(_agent.TryGetSession(Browser, out _));
        Assert.Equal(IceDropReason.UnknownUfrag, _agent.Receive(Check(_session), Browser, _response).DropReason);
    }

    [Fact]
    public void Authenticated_media_keeps_a_session_that_sends_no_checks_until_it_stops()
    {
        _agent.Receive(Check(_session, useCandidate: true), Browser, _response);
        var expired = new List<IceLiteSession>();

        for (var second = 0; second < 60; second++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            _agent.KeepAlive(_session);
            _agent.RemoveExpired(expired);
        }

        Assert.Empty(expired);
        _time.Advance(TimeSpan.FromSeconds(31));
        _agent.RemoveExpired(expired);
        Assert.Equal([_session], expired);
    }

    [Fact]
    public void The_consent_timeout_is_configurable_and_counts_from_opening()
    {
        var agent = new IceLiteAgent(new IceLiteOptions { ConsentTimeout = TimeSpan.FromSeconds(5) }, _time);
        Assert.True(agent.TryOpen(RemoteUfrag, out var neverChecked));
        var expired = new List<IceLiteSession>();

        _time.Advance(TimeSpan.FromSeconds(5));
        agent.RemoveExpired(expired);
        Assert.Empty(expired);
        _time.Advance(TimeSpan.FromSeconds(1));
        agent.RemoveExpired(expired);

        Assert.Equal([neverChecked], expired);
    }

    [Fact]
    public void Validated_addresses_route_to_their_session_until_it_closes()
    {
        _agent.Receive(Check(_session), Browser, _response);

        Assert.True(_agent.TryGetSession(Browser, out var found));
        Assert.Same(_session, found);
        Assert.False(_agent.TryGetSession(BrowserOnAnotherNetwork, out _));

        _agent.Close(_session);

        Assert.False(_agent.TryGetSession(Browser, out _));
        Assert.Equal(0, _agent.SessionCount);
    }

    [Fact]
    public void A_session_keeps_a_bounded_number_of_addresses_and_never_forgets_the_selected_one()
    {
        var agent = new IceLiteAgent(new IceLiteOptions { MaxEndpointsPerSession = 2 }, _time);
        Assert.True(agent.TryOpen(RemoteUfrag, out var session));
        var selected = new IPEndPoint(IPAddress.Loopback, 1000);
        agent.Receive(Check(session, useCandidate: true), selected, _response);

        for (var port = 1001; port < 1010; port++)
        {
            agent.Receive(Check(session), new IPEndPoint(IPAddress.Loopback, port), _response);
        }

        Assert.True(agent.TryGetSession(selected, out _));
        Assert.True(agent.TryGetSession(new IPEndPoint(IPAddress.Loopback, 1009), out _));
        Assert.False(agent.TryGetSession(new IPEndPoint(IPAddress.Loopback, 1008), out _));
        Assert.Equal(selected, session.SelectedEndpoint);
    }

    [Fact]
    public void No_more_than_the_configured_number_of_sessions_open()
    {
        var agent = new IceLiteAgent(new IceLiteOptions { MaxSessions = 2 }, _time);

        Assert.True(agent.TryOpen(RemoteUfrag, out var first));
        Assert.True(agent.TryOpen(RemoteUfrag, out _));
        Assert.False(agent.TryOpen(RemoteUfrag, out _));
        agent.Close(first);
        Assert.True(agent.TryOpen(RemoteUfrag, out _));
    }

    [Fact]
    public void Generated_credentials_have_enough_random_ice_chars()
    {
        var seen = new HashSet<string>();
        for (var i = 0; i < 1000; i++)
        {
            var credentials = IceCredentials.Generate();
            Assert.True(IceCredentials.IsValidUfrag(credentials.Ufrag) && credentials.Ufrag.Length >= 4);
            Assert.True(IceCredentials.IsValidPassword(credentials.Password) && credentials.Password.Length >= 22);
            Assert.True(seen.Add(credentials.Password));
        }
    }

    [Fact]
    public void Random_and_mutated_datagrams_never_throw_and_never_validate_an_address()
    {
        var random = new Random(8445);
        var valid = Check(_session, useCandidate: true);
        var datagram = new byte[300];
        for (var i = 0; i < 100_000; i++)
        {
            int length;
            if (i % 2 == 0)
            {
                length = random.Next(0, datagram.Length);
                random.NextBytes(datagram.AsSpan(0, length));
            }
            else
            {
                length = valid.Length;
                valid.CopyTo(datagram, 0);
                datagram[random.Next(length)] ^= (byte)(1 << random.Next(8));
            }

            var result = _agent.Receive(datagram.AsSpan(0, length), Browser, _response);
            Assert.NotEqual(IceOutcome.Answered, result.Outcome);
        }

        Assert.False(_session.IsValidated(Browser));
    }

    [Fact]
    public void Answering_a_consent_check_allocates_nothing()
    {
        var request = Check(_session, useCandidate: true);
        _agent.Receive(request, Browser, _response);

        var answered = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            answered += _agent.Receive(request, Browser, _response).Outcome == IceOutcome.Answered ? 1 : 0;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1000, answered);
    }

    /// <summary>A connectivity check as a controlling full agent (a browser) sends it (RFC 8445 §7.2.2).</summary>
    internal static byte[] Check(
        IceLiteSession session,
        bool useCandidate = false,
        string? password = null,
        string? username = "",
        bool integrity = true,
        bool fingerprint = true,
        bool controlled = false,
        ushort? extraAttribute = null,
        StunClass messageClass = StunClass.Request)
    {
        var buffer = new byte[512];
        var writer = new StunMessageWriter(buffer, StunMessageType.Compose(StunMethod.Binding, messageClass), RandomNumberGenerator.GetBytes(12));
        if (username is not null)
        {
            writer.WriteUsername(Encoding.ASCII.GetBytes(username == "" ? $"{session.Local.Ufrag}:{session.RemoteUfrag}" : username));
        }

        writer.WritePriority(1845501695);
        if (controlled)
        {
            writer.WriteIceControlled(42);
        }
        else
        {
            writer.WriteIceControlling(42);
        }

        if (useCandidate)
        {
            writer.WriteUseCandidate();
        }

        if (extraAttribute is { } type)
        {
            writer.WriteAttribute(type, [1, 2, 3, 4]);
        }

        if (integrity)
        {
            writer.WriteMessageIntegrity(Encoding.ASCII.GetBytes(password ?? session.Local.Password));
        }

        if (fingerprint)
        {
            writer.WriteFingerprint();
        }

        return writer.Written.ToArray();
    }

    private void AssertErrorResponse(IceReceiveResult result, int code, bool integrity)
    {
        Assert.Equal(IceOutcome.Rejected, result.Outcome);
        Assert.Equal(code, result.ErrorCode);
        Assert.True(StunMessage.TryParse(_response.AsSpan(0, result.ResponseLength), out var response, out _));
        Assert.Equal(StunClass.ErrorResponse, response.Class);
        Assert.True(response.TryGetErrorCode(out var written, out _));
        Assert.Equal(code, written);
        Assert.True(response.HasValidFingerprint());
        Assert.Equal(integrity, response.HasMessageIntegrity);
        if (integrity)
        {
            Assert.True(response.HasValidMessageIntegrity(Encoding.ASCII.GetBytes(_session.Local.Password)));
        }
    }
}
