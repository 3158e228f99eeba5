using System.Net;
using System.Text;

namespace Nio.WebRtc.Ice;

/// <summary>
/// One peer's ICE state on the lite side: the credentials it must use, the remote addresses whose checks succeeded,
/// the one it nominated, and when it last showed consent. Created by <see cref="IceLiteAgent.TryOpen"/>.
/// </summary>
public sealed class IceLiteSession
{
    private readonly List<IPEndPoint> _validated = [];
    private IPEndPoint? _selected;
    private long _lastConsent;
    private bool _closed;

    internal IceLiteSession(IceCredentials local, string remoteUfrag, long now)
    {
        Local = local;
        RemoteUfrag = remoteUfrag;
        PasswordKey = Encoding.ASCII.GetBytes(local.Password);

        // RFC 8445 §7.2.2: "the username fragment provided by the peer with the username fragment of the ICE agent
        // sending the request, separated by a colon (":")" — the peer's request names our fragment first.
        ExpectedUsername = Encoding.ASCII.GetBytes($"{local.Ufrag}:{remoteUfrag}");
        _lastConsent = now;
    }

    /// <summary>This side's credentials, for the SDP answer.</summary>
    public IceCredentials Local { get; }

    /// <summary>The peer's username fragment from its offer.</summary>
    public string RemoteUfrag { get; }

    /// <summary>The remote address the peer nominated with USE-CANDIDATE (the selected pair); null until it has.</summary>
    public IPEndPoint? SelectedEndpoint
    {
        get
        {
            lock (_validated)
            {
                return _selected;
            }
        }
    }

    /// <summary>Closed by the agent (by its owner or for lost consent): its checks are no longer answered.</summary>
    public bool IsClosed => Volatile.Read(ref _closed);

    internal byte[] PasswordKey { get; }

    internal byte[] ExpectedUsername { get; }

    internal long LastConsent
    {
        get
        {
            lock (_validated)
            {
                return _lastConsent;
            }
        }
    }

    /// <summary>A connectivity check from <paramref name="remote"/> succeeded.</summary>
    /// <returns>Whether the address is new to this session, whether it is now the selected one, and an address forgotten to keep the bound.</returns>
    internal (bool IsNew, bool SelectedChanged, IPEndPoint? Forgotten) Validate(IPEndPoint remote, bool nominated, long now, int maxEndpoints)
    {
        lock (_validated)
        {
            _lastConsent = now;
            IPEndPoint? forgotten = null;
            var isNew = !_validated.Contains(remote);
            if (isNew)
            {
                if (_validated.Count >= maxEndpoints)
                {
                    // Never the selected one: only a newer nomination replaces it.
                    var oldest = _validated.FindIndex(endpoint => !endpoint.Equals(_selected));
                    forgotten = _validated[oldest];
                    _validated.RemoveAt(oldest);
                }

                _validated.Add(remote);
            }

            // A lite agent nominates nothing itself: the pair a check with USE-CANDIDATE arrived on is nominated and
            // selected (RFC 8445 §7.3.1.5, §8.2); a later nomination (a new network, say) replaces the selected pair.
            var selectedChanged = nominated && !remote.Equals(_selected);
            if (selectedChanged)
            {
                _selected = remote;
            }

            return (isNew, selectedChanged, forgotten);
        }
    }

    /// <summary>The peer showed it is still there without a check (see <see cref="IceLiteAgent.KeepAlive"/>).</summary>
    internal void KeepAlive(long now)
    {
        lock (_validated)
        {
            _lastConsent = now;
        }
    }

    /// <summary>Whether a check from <paramref name="remote"/> succeeded for this session (DTLS and media may come from it).</summary>
    public bool IsValidated(IPEndPoint remote)
    {
        lock (_validated)
        {
            return _validated.Contains(remote);
        }
    }

    internal void MarkClosed() => Volatile.Write(ref _closed, true);

    internal IPEndPoint[] ValidatedEndpoints()
    {
        lock (_validated)
        {
            return [.. _validated];
        }
    }
}
