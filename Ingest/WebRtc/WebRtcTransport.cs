using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Nio.WebRtc;
using Nio.WebRtc.Dtls;
using Nio.WebRtc.Ice;

namespace Nio.Ingest.WebRtc;

/// <summary>
/// The one UDP port of every WHIP publisher (ICE-lite: NIO only answers). One thread of its own reads the socket, tells
/// STUN, DTLS and SRTP apart (RFC 7983), answers connectivity and consent checks, routes DTLS and media to the peer of
/// the validated address they come from, and runs the peers' timers between datagrams; no work per packet goes to the
/// thread pool. A datagram that is not for a known peer, or that a peer cannot read, is dropped and disturbs no one.
/// </summary>
public sealed partial class WebRtcTransport : IHostedService, IDisposable
{
    private const int MaxDatagramBytes = 2048;

    /// <summary>Source addresses remembered as endpoints; past it the cache starts afresh (a flood of spoofed sources).</summary>
    private const int MaxCachedEndpoints = 4096;

    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan ConsentCheckInterval = TimeSpan.FromSeconds(1);

    private readonly IPAddress bindAddress;
    private readonly WebRtcOptions options;
    private readonly ILogger<WebRtcTransport> logger;
    private readonly ConcurrentDictionary<IceLiteSession, WebRtcPeer> peers = new();
    private readonly ConcurrentQueue<WebRtcPeer> retired = new();
    private readonly Dictionary<SocketAddress, IPEndPoint> endpoints = [];
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private Socket? socket;
    private Thread? thread;
    private volatile bool stopping;

    public WebRtcTransport(IPAddress bindAddress, IOptions<WebRtcOptions> options, ILogger<WebRtcTransport> logger)
    {
        this.bindAddress = bindAddress;
        this.options = options.Value;
        this.logger = logger;
        Agent = new IceLiteAgent(new IceLiteOptions { ConsentTimeout = this.options.ConsentTimeout, MaxSessions = this.options.MaxSessions }, TimeProvider.System);
        Dtls = new DtlsServer(DtlsCertificate.Generate(), new DtlsServerOptions());
        Addresses = AdvertisedAddresses(this.options.PublicIp, bindAddress);
    }

    public IceLiteAgent Agent { get; }

    public DtlsServer Dtls { get; }

    /// <summary>The addresses the SDP answer gives as host candidates.</summary>
    public IReadOnlyList<IPAddress> Addresses { get; }

    /// <summary>The bound UDP port (the configured one, or the one picked for 0).</summary>
    public int Port { get; private set; }

    /// <summary>The most ICE sessions (so WHIP sessions) at once.</summary>
    public int MaxSessions => options.MaxSessions;

    /// <summary>Peers open now.</summary>
    public int PeerCount => peers.Count;

    /// <summary>Routes the ICE session's datagrams to the peer from now on.</summary>
    public WebRtcPeer Open(IceLiteSession ice, PeerMedia media, Media.IMediaSink sink)
    {
        var peer = new WebRtcPeer(this, ice, media, sink, options);
        peers[ice] = peer;
        return peer;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        socket = new Socket(bindAddress.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        if (bindAddress.Equals(IPAddress.IPv6Any))
        {
            socket.DualMode = true;
        }

        // Bursts of a keyframe's packets arrive faster than one thread may momentarily read them.
        socket.ReceiveBufferSize = 4 * 1024 * 1024;
        socket.Bind(new IPEndPoint(bindAddress, options.UdpPort));
        Port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        thread = new Thread(Run) { IsBackground = true, Name = "WebRTC receive" };
        thread.Start();
        LogListening(bindAddress, Port, string.Join(", ", Addresses));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var peer in peers.Values)
        {
            peer.Close("the Ingest is stopping");
        }

        stopping = true;
        thread?.Join(TimeSpan.FromSeconds(5));
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        // A host disposed without being stopped: the thread ends at its next read of the closed socket.
        stopping = true;
        socket?.Dispose();
        Dtls.Dispose();
    }

    /// <summary>Sends one datagram; a send that fails (the peer's network went away) is its consent's business.</summary>
    internal void Send(ReadOnlySpan<byte> datagram, IPEndPoint to)
    {
        try
        {
            socket?.SendTo(datagram, SocketFlags.None, to);
        }
        catch (SocketException exception)
        {
            LogSendFailed(to, exception.SocketErrorCode);
        }
        catch (ObjectDisposedException)
        {
            // Stopping.
        }
    }

    /// <summary>A peer closed: no more datagrams reach it, and its media state is freed on the receive thread.</summary>
    internal void Retire(WebRtcPeer peer)
    {
        Agent.Close(peer.Ice);
        ((ICollection<KeyValuePair<IceLiteSession, WebRtcPeer>>)peers).Remove(new(peer.Ice, peer));
        retired.Enqueue(peer);
    }

    private void Run()
    {
        var buffer = new byte[MaxDatagramBytes];
        var response = new byte[IceLiteAgent.ResponseBufferLength];
        var from = new SocketAddress(socket!.AddressFamily);
        var expired = new List<IceLiteSession>();
        var nextTick = TimeSpan.Zero;
        var nextConsentCheck = ConsentCheckInterval;
        while (!stopping)
        {
            try
            {
                var wait = peers.IsEmpty ? ConsentCheckInterval : TickInterval;
                if (socket.Poll(wait, SelectMode.SelectRead))
                {
                    // Whatever is queued, up to a bound, before the timers run again.
                    var count = 0;
                    do
                    {
                        var length = socket.ReceiveFrom(buffer, SocketFlags.None, from);
                        Handle(buffer.AsSpan(0, length), Endpoint(from), response);
                    }
                    while (++count < 64 && socket.Available > 0);
                }

                var now = clock.Elapsed;
                if (now >= nextTick)
                {
                    nextTick = now + TickInterval;
                    foreach (var peer in peers.Values)
                    {
                        Tick(peer, now);
                    }
                }

                if (now >= nextConsentCheck)
                {
                    nextConsentCheck = now + ConsentCheckInterval;
                    EndExpired(expired);
                }

                while (retired.TryDequeue(out var peer))
                {
                    peer.ReleaseMedia();
                }
            }
            catch (SocketException exception)
            {
                // An ICMP error reported on the socket, say: the loop goes on.
                LogReceiveFailed(exception.SocketErrorCode);
            }
            catch (ObjectDisposedException)
            {
                // Only Dispose closes the socket.
                return;
            }
        }

        while (retired.TryDequeue(out var peer))
        {
            peer.ReleaseMedia();
        }
    }

    private void Handle(Span<byte> datagram, IPEndPoint remote, Span<byte> response)
    {
        var kind = Demux.Classify(datagram);
        if (kind == DatagramKind.Stun)
        {
            var result = Agent.Receive(datagram, remote, response);
            if (result.ResponseLength > 0)
            {
                Send(response[..result.ResponseLength], remote);
            }

            return;
        }

        if (kind == DatagramKind.Drop || PeerOf(remote) is not { } peer)
        {
            return;
        }

        // A fault in one peer's handling ends that peer, never the thread every peer shares.
        try
        {
            if (kind == DatagramKind.Dtls)
            {
                peer.OnDtls(datagram, remote);
            }
            else
            {
                peer.OnSrtp(datagram, remote, clock.Elapsed);
            }
        }
        catch (Exception exception)
        {
            Fail(peer, exception);
        }
    }

    private void Tick(WebRtcPeer peer, TimeSpan now)
    {
        try
        {
            peer.OnTick(now);
        }
        catch (Exception exception)
        {
            Fail(peer, exception);
        }
    }

    private void Fail(WebRtcPeer peer, Exception exception)
    {
        LogPeerFailed(exception);
        peer.Close($"failed: {exception.GetType().Name}");
    }

    /// <summary>DTLS and SRTP are read only from an address that passed a connectivity check of a peer (RFC 8445 §7.3).</summary>
    private WebRtcPeer? PeerOf(IPEndPoint remote) =>
        Agent.TryGetSession(remote, out var session) && session is not null && peers.TryGetValue(session, out var peer) && !peer.IsClosed ? peer : null;

    private void EndExpired(List<IceLiteSession> expired)
    {
        expired.Clear();
        Agent.RemoveExpired(expired);
        foreach (var session in expired)
        {
            if (peers.TryGetValue(session, out var peer))
            {
                peer.Close($"ICE consent expired: no check and no media for {options.ConsentTimeoutSeconds} s");
            }
        }
    }

    /// <summary>The sender as an endpoint, without allocating one per datagram for a known sender.</summary>
    private IPEndPoint Endpoint(SocketAddress address)
    {
        if (endpoints.TryGetValue(address, out var endpoint))
        {
            return endpoint;
        }

        if (endpoints.Count >= MaxCachedEndpoints)
        {
            endpoints.Clear();
        }

        var key = new SocketAddress(address.Family, address.Size);
        address.Buffer.Span[..address.Size].CopyTo(key.Buffer.Span);
        endpoint = (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(key);
        endpoints[key] = endpoint;
        return endpoint;
    }

    /// <summary>
    /// The configured addresses; else the bound one; else, bound to every address, those of the interfaces that are up
    /// (loopback last, so a publisher on the same machine still finds one).
    /// </summary>
    internal static IReadOnlyList<IPAddress> AdvertisedAddresses(string configured, IPAddress bound)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return [.. configured.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(value =>
                IPAddress.TryParse(value, out var address) ? address : throw new OptionsValidationException("WebRtc:PublicIp", typeof(WebRtcOptions),
                    [$"WebRtc:PublicIp: '{value}' is not an IP address"]))];
        }

        if (!bound.Equals(IPAddress.Any) && !bound.Equals(IPAddress.IPv6Any))
        {
            return [bound];
        }

        var found = NetworkInterface.GetAllNetworkInterfaces()
            .Where(nic => nic.OperationalStatus is OperationalStatus.Up or OperationalStatus.Unknown)
            .SelectMany(nic => nic.GetIPProperties().UnicastAddresses.Select(unicast => unicast.Address))
            .Where(address => address.AddressFamily == AddressFamily.InterNetwork
                || (bound.Equals(IPAddress.IPv6Any) && !address.IsIPv6LinkLocal))
            .Distinct()
            .OrderBy(IPAddress.IsLoopback)
            .ToList();
        return found.Count > 0 ? found : [IPAddress.Loopback];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "WebRTC (WHIP media) on UDP {Address}:{Port}, advertised as {Candidates}")]
    private partial void LogListening(IPAddress address, int port, string candidates);

    [LoggerMessage(Level = LogLevel.Debug, Message = "WebRTC send to {Remote} failed: {Error}")]
    private partial void LogSendFailed(IPEndPoint remote, SocketError error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "WebRTC receive failed: {Error}")]
    private partial void LogReceiveFailed(SocketError error);

    [LoggerMessage(Level = LogLevel.Error, Message = "A WebRTC peer failed and was closed")]
    private partial void LogPeerFailed(Exception exception);
}
