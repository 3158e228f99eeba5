using System.Diagnostics;
using Nio.WebRtc.Dtls;
using Nio.WebRtc.Srtp;
using Nio.WebRtc.Tests.Rtp;
using Nio.WebRtc.Tests.Srtp;
using Org.BouncyCastle.Tls;
using Xunit.Abstractions;

namespace Nio.WebRtc.Tests.Dtls;

/// <summary>The DTLS-SRTP server against BouncyCastle's own DTLS client, in memory.</summary>
public sealed class DtlsSessionTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);

    private readonly DtlsServer _server = new(DtlsCertificate.Generate(), new DtlsServerOptions());

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task A_client_with_the_offered_certificate_connects_and_both_sides_export_the_same_srtp_keys()
    {
        var client = new InProcessDtlsClient(DtlsCertificate.Generate());
        var session = Accept(_server, client);

        var clientTransport = await client.ConnectAsync().WaitAsync(Generous);
        var keys = await session.Connected.WaitAsync(Generous);

        Assert.Equal(SrtpProfile.AeadAes128Gcm, keys.Profile);
        Assert.Equal(SrtpProtectionProfile.SRTP_AEAD_AES_128_GCM, client.SelectedSrtpProfile);
        Assert.Equal(client.ExportedKeyingMaterial, keys.Material.ToArray());
        Assert.True(_server.Certificate.Fingerprint.Matches(client.ServerCertificate));
        Assert.Equal(0, _server.ActiveHandshakes);
        clientTransport.Close();
    }

    [Fact]
    public async Task A_client_that_offers_only_aes_cm_gets_aes_cm_keys()
    {
        var client = new InProcessDtlsClient(DtlsCertificate.Generate(), [SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_32, SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80]);
        var session = Accept(_server, client);

        await client.ConnectAsync().WaitAsync(Generous);
        var keys = await session.Connected.WaitAsync(Generous);

        Assert.Equal(SrtpProfile.AesCm128HmacSha1_80, keys.Profile);
        Assert.Equal(60, client.ExportedKeyingMaterial!.Length);
        Assert.Equal(client.ExportedKeyingMaterial, keys.Material.ToArray());
    }

    [Theory]
    [InlineData(SrtpProtectionProfile.SRTP_AEAD_AES_128_GCM)]
    [InlineData(SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80)]
    public async Task The_server_srtp_session_unprotects_what_the_client_protects_with_its_half_of_the_keys_and_back(int offered)
    {
        var client = new InProcessDtlsClient(DtlsCertificate.Generate(), [offered]);
        var session = Accept(_server, client);
        await client.ConnectAsync().WaitAsync(Generous);
        var keys = await session.Connected.WaitAsync(Generous);

        using var server = keys.CreateSrtpSession();
        using var browser = SrtpSession.FromKeyingMaterial(keys.Profile, client.ExportedKeyingMaterial!, DtlsSrtpRole.Client);
        var rtp = RtpPackets.Build(1, 90_000, 0x1234_5678, new byte[1000]);
        var protectedRtp = SrtpContextTests.Protect(browser.Outbound, rtp);
        var rtcp = SrtpContextTests.Rtcp(new Random(1), 0x0BAD_CAFE);
        var protectedRtcp = SrtpContextTests.ProtectRtcp(server.Outbound, rtcp);

        Assert.Equal(offered, (int)keys.Profile);
        Assert.Equal(SrtpStatus.Ok, server.Inbound.UnprotectRtp(protectedRtp, out var rtpLength));
        Assert.Equal(rtp, protectedRtp[..rtpLength]);
        Assert.Equal(SrtpStatus.Ok, browser.Inbound.UnprotectRtcp(protectedRtcp, out var rtcpLength));
        Assert.Equal(rtcp, protectedRtcp[..rtcpLength]);
    }

    [Fact]
    public async Task A_client_whose_certificate_is_not_the_offered_one_is_refused()
    {
        var client = new InProcessDtlsClient(DtlsCertificate.Generate());
        var offered = DtlsCertificate.Generate().Fingerprint;
        var session = Accept(_server, client, offered);

        var refused = await Assert.ThrowsAsync<TlsFatalAlertReceived>(() => client.ConnectAsync().WaitAsync(Generous));
        var end = await session.Closed.WaitAsync(Generous);

        Assert.Equal(AlertDescription.bad_certificate, refused.AlertDescription);
        Assert.Equal(DtlsEndReason.FingerprintMismatch, end.Reason);
        Assert.True(session.Connected.IsCanceled);
    }

    [Fact]
    public async Task A_client_without_a_certificate_is_refused()
    {
        var client = new InProcessDtlsClient(DtlsCertificate.Generate(), presentCertificate: false);
        var session = Accept(_server, client);

        var refused = await Assert.ThrowsAsync<TlsFatalAlertReceived>(() => client.ConnectAsync().WaitAsync(Generous));
        var end = await session.Closed.WaitAsync(Generous);

        Assert.Equal(AlertDescription.handshake_failure, refused.AlertDescription);
        Assert.Equal(DtlsEndReason.HandshakeFailed, end.Reason);
        Assert.Contains("no certificate", end.Detail);
    }

    [Fact]
    public async Task A_client_without_use_srtp_or_a_shared_profile_is_refused()
    {
        var client = new InProcessDtlsClient(DtlsCertificate.Generate(), [SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_32]);
        var session = Accept(_server, client);

        await Assert.ThrowsAsync<TlsFatalAlertReceived>(() => client.ConnectAsync().WaitAsync(Generous));
        var end = await session.Closed.WaitAsync(Generous);

        Assert.Equal(DtlsEndReason.HandshakeFailed, end.Reason);
        Assert.Contains("SRTP", end.Detail);
    }

    [Fact]
    public async Task A_client_without_the_extended_master_secret_is_refused()
    {
        var client = new InProcessDtlsClient(DtlsCertificate.Generate(), offerExtendedMasterSecret: false);
        var session = Accept(_server, client);

        await Assert.ThrowsAsync<TlsFatalAlertReceived>(() => client.ConnectAsync().WaitAsync(Generous));
        var end = await session.Closed.WaitAsync(Generous);

        Assert.Equal(DtlsEndReason.HandshakeFailed, end.Reason);
    }

    [Fact]
    public async Task A_client_that_sends_close_notify_ends_the_session()
    {
        var client = new InProcessDtlsClient(DtlsCertificate.Generate());
        var session = Accept(_server, client);
        var clientTransport = await client.ConnectAsync().WaitAsync(Generous);
        await session.Connected.WaitAsync(Generous);

        clientTransport.Close();
        var end = await session.Closed.WaitAsync(Generous);

        Assert.Equal(DtlsEndReason.ClosedByPeer, end.Reason);
    }

    [Fact]
    public async Task Closing_a_connected_session_sends_close_notify_to_the_client()
    {
        var client = new InProcessDtlsClient(DtlsCertificate.Generate());
        var session = Accept(_server, client);
        var clientTransport = await client.ConnectAsync().WaitAsync(Generous);
        await session.Connected.WaitAsync(Generous);

        session.Dispose();

        // The client reads (and answers) the alert; its Receive has nothing else to return.
        var buffer = new byte[2048];
        Assert.Equal(-1, clientTransport.Receive(buffer, 0, buffer.Length, 200));
        Assert.Equal([AlertDescription.close_notify], client.AlertsReceived);
        Assert.Equal(DtlsEndReason.ClosedLocally, (await session.Closed).Reason);
    }

    [Fact]
    public void Handshakes_over_the_limit_are_refused_until_one_ends()
    {
        using var server = new DtlsServer(DtlsCertificate.Generate(), new DtlsServerOptions { MaxConcurrentHandshakes = 2 });
        var fingerprints = new[] { DtlsCertificate.Generate().Fingerprint };

        Assert.True(server.TryAccept(fingerprints, _ => { }, out var first));
        Assert.True(server.TryAccept(fingerprints, _ => { }, out var second));
        Assert.False(server.TryAccept(fingerprints, _ => { }, out var refused));
        Assert.Null(refused);
        Assert.Equal(2, server.ActiveHandshakes);

        first.Dispose();
        SpinWait.SpinUntil(() => server.ActiveHandshakes < 2, Generous);
        Assert.True(server.TryAccept(fingerprints, _ => { }, out var third));

        second.Dispose();
        third.Dispose();
        SpinWait.SpinUntil(() => server.ActiveHandshakes == 0, Generous);
        Assert.Equal(0, server.ActiveHandshakes);
    }

    [Fact]
    public async Task A_client_that_stops_mid_handshake_is_dropped_after_the_deadline()
    {
        using var server = new DtlsServer(DtlsCertificate.Generate(), new DtlsServerOptions { HandshakeTimeout = TimeSpan.FromSeconds(1) });
        // The ClientHello arrives; the client's second flight never does.
        var client = new InProcessDtlsClient(DtlsCertificate.Generate()) { DeliverAtMost = 1 };
        var session = Accept(server, client);
        _ = client.ConnectAsync();

        var end = await session.Closed.WaitAsync(Generous);

        Assert.Equal(DtlsEndReason.HandshakeTimedOut, end.Reason);
        Assert.True(session.Connected.IsCanceled);
        SpinWait.SpinUntil(() => server.ActiveHandshakes == 0, Generous);
        Assert.Equal(0, server.ActiveHandshakes);
    }

    [Fact]
    public async Task Random_datagrams_end_at_most_their_own_session_and_never_a_connected_one()
    {
        var random = new Random(1405);
        var fingerprints = new[] { DtlsCertificate.Generate().Fingerprint };
        var client = new InProcessDtlsClient(DtlsCertificate.Generate());
        var connected = Accept(_server, client);
        var clientTransport = await client.ConnectAsync().WaitAsync(Generous);
        await connected.Connected.WaitAsync(Generous);

        for (var round = 0; round < 50; round++)
        {
            Assert.True(_server.TryAccept(fingerprints, _ => { }, out var victim));
            for (var i = 0; i < 40; i++)
            {
                var datagram = RandomDtlsLookingDatagram(random);
                victim.Receive(datagram);
                connected.Receive(datagram);
            }

            victim.Dispose();
        }

        // The connected session still works: the client's close_notify is understood.
        Assert.False(connected.Closed.IsCompleted, "the connected session ended: " + (connected.Closed.IsCompleted ? await connected.Closed : default));
        clientTransport.Close();
        Assert.Equal(DtlsEndReason.ClosedByPeer, (await connected.Closed.WaitAsync(Generous)).Reason);
        SpinWait.SpinUntil(() => _server.ActiveHandshakes == 0, Generous);
        Assert.Equal(0, _server.ActiveHandshakes);
    }

    [Fact]
    public async Task Handshake_time_in_memory()
    {
        var times = new List<double>();
        for (var i = 0; i < 30; i++)
        {
            var client = new InProcessDtlsClient(DtlsCertificate.Generate());
            var started = Stopwatch.StartNew();
            var session = Accept(_server, client);
            await client.ConnectAsync().WaitAsync(Generous);
            await session.Connected.WaitAsync(Generous);
            times.Add(started.Elapsed.TotalMilliseconds);
            session.Dispose();
        }

        times.Sort();
        output.WriteLine($"DTLS handshake in memory, 30 runs: median {times[15]:F1} ms, p95 {times[28]:F1} ms, min {times[0]:F1} ms (client and server both BouncyCastle, on one machine)");
        Assert.Equal(30, times.Count);
    }

    private static DtlsSession Accept(DtlsServer server, InProcessDtlsClient client, DtlsFingerprint? offered = null)
    {
        Assert.True(server.TryAccept([offered ?? client.Certificate.Fingerprint], client.FromServer, out var session));
        client.Server = session;
        return session;
    }

    /// <summary>A datagram whose first byte routes it to DTLS (RFC 7983: 20–63), with a record header often close to valid.</summary>
    private static byte[] RandomDtlsLookingDatagram(Random random)
    {
        var datagram = new byte[random.Next(1, 1500)];
        random.NextBytes(datagram);
        datagram[0] = (byte)random.Next(20, 64);
        if (datagram.Length >= 13 && random.Next(2) == 0)
        {
            // DTLS 1.2, epoch 0 or 1, a length that fits: what gets past the record layer's first checks.
            datagram[0] = (byte)random.Next(20, 25);
            datagram[1] = 0xFE;
            datagram[2] = 0xFD;
            datagram[3] = 0;
            datagram[4] = (byte)random.Next(2);
            var length = datagram.Length - 13;
            datagram[11] = (byte)(length >> 8);
            datagram[12] = (byte)length;
        }

        return datagram;
    }
}
