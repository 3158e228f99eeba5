using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using Nio.TestSupport;
using Nio.WebRtc.Ice;
using Nio.WebRtc.Sdp;

namespace Nio.WebRtc.Tests.Ice;

/// <summary>Debian's Chromium against the ICE-lite agent and the SDP answer, over a real UDP socket on loopback.</summary>
public class IceLiteChromiumTests
{
    [Fact]
    public async Task Chromium_accepts_the_answer_and_its_checks_connect_to_the_ice_lite_agent()
    {
        var script = Path.Combine(TestHost.RepositoryRoot(), "tests", "WebRtc.Tests", "Ice", "chromium-ice.mjs");
        var playwright = Path.Combine(TestHost.RepositoryRoot(), "tests", "EndToEnd", "browser", "node_modules", "playwright-core");
        Assert.True(Directory.Exists(playwright), "playwright-core is missing: run ./nio npm tests/EndToEnd/browser");

        using var socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)socket.Client.LocalEndPoint!).Port;
        var agent = new IceLiteAgent(new IceLiteOptions(), TimeProvider.System);
        var results = new List<IceReceiveResult>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var loop = Task.Run(async () =>
        {
            var response = new byte[IceLiteAgent.ResponseBufferLength];
            while (!stop.IsCancellationRequested)
            {
                var datagram = await socket.ReceiveAsync(stop.Token);
                if (Demux.Classify(datagram.Buffer) != DatagramKind.Stun)
                {
                    continue; // DTLS: not this test's business.
                }

                var result = agent.Receive(datagram.Buffer, datagram.RemoteEndPoint, response);
                lock (results)
                {
                    results.Add(result);
                }

                if (result.ResponseLength > 0)
                {
                    await socket.SendAsync(response.AsMemory(0, result.ResponseLength), datagram.RemoteEndPoint, stop.Token);
                }
            }
        });

        var start = new ProcessStartInfo("node") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        using var node = Process.Start(start)!;
        var errors = node.StandardError.ReadToEndAsync();
        try
        {
            var offerLine = await node.StandardOutput.ReadLineAsync(stop.Token) ?? throw new InvalidOperationException("node: " + await errors);
            var offer = WhipOffer.Parse(JsonDocument.Parse(offerLine).RootElement.GetProperty("offer").GetString()!);
            Assert.True(agent.TryOpen(offer.IceUfrag, out var session));
            var answer = WhipAnswer.Create(offer, new WhipAnswerParameters(session.Local, Nio.WebRtc.Dtls.DtlsFingerprint.Sha256("not checked before DTLS"u8), [IPAddress.Loopback], port));

            await node.StandardInput.WriteLineAsync(JsonSerializer.Serialize(new { answer }));
            await node.StandardInput.FlushAsync();
            var report = await node.StandardOutput.ReadLineAsync(stop.Token) ?? throw new InvalidOperationException("node: " + await errors);

            Assert.Contains(JsonDocument.Parse(report).RootElement.GetProperty("state").GetString(), new[] { "connected", "completed" });

            // Chromium reports "connected" once a check succeeded; its nomination (USE-CANDIDATE) may follow in a later check.
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (session.SelectedEndpoint is null && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            lock (results)
            {
                Assert.True(session.SelectedEndpoint is not null, "no nomination in: " + string.Join("; ", results.Select(r => $"{r.Outcome} {r.DropReason} {r.ErrorCode} new={r.EndpointValidated}")));
            }

            Assert.True(agent.TryGetSession(session.SelectedEndpoint!, out var routed) && routed == session);
            lock (results)
            {
                Assert.Contains(results, r => r.Outcome == IceOutcome.Answered && r.NominatedEndpointChanged && r.Session == session);
                Assert.DoesNotContain(results, r => r.Outcome == IceOutcome.Rejected);
            }
        }
        finally
        {
            // End of stdin lets the script close the browser; one that hangs is ended with its children.
            node.StandardInput.Close();
            if (!node.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                node.Kill(entireProcessTree: true);
            }

            await stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop);
        }
    }
}
