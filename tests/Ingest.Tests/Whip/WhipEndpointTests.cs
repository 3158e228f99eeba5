using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Nio.Api.Streams;
using Nio.Ingest.Tests.Infrastructure;
using Nio.Ingest.WebRtc;
using Nio.Ingest.Whip;
using Nio.TestSupport;
using Nio.WebRtc.Stun;

namespace Nio.Ingest.Tests.Whip;

/// <summary>WHIP's HTTP side (RFC 9725) on the real Ingest and Api, with a real browser's offer; and the UDP port under random input.</summary>
[Collection(IngestCollection.Name)]
public sealed partial class WhipEndpointTests(IngestFixture ingest)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);

    /// <summary>An offer Debian's Chromium made (H.264, VP8, VP9, AV1 and Opus offered; sendonly).</summary>
    private static readonly string ChromiumOffer = File.ReadAllText(
        Path.Combine(TestHost.RepositoryRoot(), "tests", "WebRtc.Tests", "Sdp", "Fixtures", "chromium-offer.sdp"));

    private readonly HttpClient http = new();

    [Fact]
    public async Task An_offer_with_the_stream_key_is_answered_201_and_delete_ends_the_broadcast()
    {
        var (_, stream) = await ingest.Api.CreateStreamAsync();

        using var created = await PostAsync(ChromiumOffer, stream.StreamKey);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("application/sdp", created.Content.Headers.ContentType?.MediaType);
        var location = created.Headers.Location!.OriginalString;
        Assert.Matches("^/whip/[0-9a-f]{32}$", location);
        Assert.Matches("^\"[^\"]+\"$", created.Headers.ETag!.ToString());
        var answer = await created.Content.ReadAsStringAsync();
        Assert.Contains("a=ice-lite", answer);
        Assert.Contains("a=setup:passive", answer);
        Assert.Contains("H264/90000", answer);
        Assert.Contains("opus/48000/2", answer);
        Assert.DoesNotContain("VP8", answer);
        var port = ingest.Services.GetRequiredService<WebRtcTransport>().Port;
        Assert.Matches($"a=candidate:\\S+ 1 udp \\d+ 127\\.0\\.0\\.1 {port} typ host", answer);
        await ingest.WaitForStatusAsync(stream.Id, StreamStatus.Live, Soon);

        using (var withoutKey = await http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, Url(location))))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
        }

        using (var deleted = await SendAsync(HttpMethod.Delete, location, stream.StreamKey))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        // Ended before the answer, as when an RTMP publisher leaves: the Api has heard it went offline.
        Assert.Equal(StreamStatus.Offline, await ingest.StatusAsync(stream.Id));
        using var again = await SendAsync(HttpMethod.Delete, location, stream.StreamKey);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task A_wrong_or_missing_stream_key_is_refused_with_401()
    {
        using var wrong = await PostAsync(ChromiumOffer, "nio_" + new string('x', 43));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("Bearer", wrong.Headers.WwwAuthenticate.ToString());
        await ProblemAssertions.AssertProblemAsync(wrong, HttpStatusCode.Unauthorized);

        using var missing = await PostAsync(ChromiumOffer, null);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
    }

    [Fact]
    public async Task An_ended_streams_key_is_refused_with_401()
    {
        var (streamer, stream) = await ingest.Api.CreateStreamAsync();
        (await ingest.Api.ClientWithToken(streamer.AccessToken).PostAsync($"/api/streams/{stream.Id}/end", null)).EnsureSuccessStatusCode();

        using var refused = await PostAsync(ChromiumOffer, stream.StreamKey);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task Offers_that_cannot_be_taken_get_clear_problems()
    {
        var (_, stream) = await ingest.Api.CreateStreamAsync();

        using var notSdp = await PostAsync(ChromiumOffer, stream.StreamKey, "text/plain");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notSdp.StatusCode);

        using var malformed = await PostAsync("v=0\r\nthis is not sdp\r\n", stream.StreamKey);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        var problem = await malformed.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Unusable SDP offer", problem.GetProperty("title").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));

        // VP8/VP9/AV1 only: no H.264 to pass through, and NIO does not transcode WebRTC video.
        using var vp8Only = await PostAsync(ChromiumOffer.Replace("H264/90000", "X264/90000"), stream.StreamKey);
        Assert.Equal(HttpStatusCode.NotAcceptable, vp8Only.StatusCode);
        Assert.Contains("H.264", await vp8Only.Content.ReadAsStringAsync());

        using var huge = await PostAsync(ChromiumOffer + new string('x', 70_000), stream.StreamKey);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);

        Assert.Equal(StreamStatus.Offline, await ingest.StatusAsync(stream.Id));
    }

    [Fact]
    public async Task Options_answers_cors_and_responses_expose_location_etag_and_link()
    {
        using var options = await http.SendAsync(new HttpRequestMessage(HttpMethod.Options, ingest.WhipUrl)
        {
            Headers = { { "Origin", "http://studio.example" }, { "Access-Control-Request-Method", "POST" }, { "Access-Control-Request-Headers", "authorization, content-type" } },
        });

        Assert.Equal(HttpStatusCode.NoContent, options.StatusCode);
        Assert.Equal("*", Header(options, "Access-Control-Allow-Origin"));
        Assert.Contains("POST", Header(options, "Access-Control-Allow-Methods"));
        Assert.Contains("Authorization", Header(options, "Access-Control-Allow-Headers"));
        Assert.Contains("Content-Type", Header(options, "Access-Control-Allow-Headers"));
        Assert.Equal("application/sdp", Header(options, "Accept-Post"));

        var (_, stream) = await ingest.Api.CreateStreamAsync();
        using var created = await PostAsync(ChromiumOffer, stream.StreamKey);
        Assert.Equal("Location, ETag, Link", Header(created, "Access-Control-Expose-Headers"));
        using var sessionOptions = await http.SendAsync(new HttpRequestMessage(HttpMethod.Options, Url(created.Headers.Location!.OriginalString)));
        Assert.Contains("DELETE", Header(sessionOptions, "Access-Control-Allow-Methods"));
        Assert.Contains("If-Match", Header(sessionOptions, "Access-Control-Allow-Headers"));
        (await SendAsync(HttpMethod.Delete, created.Headers.Location!.OriginalString, stream.StreamKey)).Dispose();
    }

    [Fact]
    public async Task Patch_takes_trickled_candidates_and_refuses_an_ice_restart_with_422()
    {
        var (_, stream) = await ingest.Api.CreateStreamAsync();
        using var created = await PostAsync(ChromiumOffer, stream.StreamKey);
        var location = created.Headers.Location!.OriginalString;
        var etag = created.Headers.ETag!.ToString();
        const string candidate = "a=ice-ufrag:H82V\r\na=ice-pwd:R/LoF7rTaL1KANj2DKDI88VN\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\n"
            + "a=candidate:1 1 udp 2122260223 192.0.2.10 50000 typ host\r\n";
        const string restart = "a=ice-ufrag:Zx9yW8vu\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\n";

        using (var trickled = await PatchAsync(location, stream.StreamKey, candidate, etag))
        {
            Assert.Equal(HttpStatusCode.NoContent, trickled.StatusCode);
        }

        using (var restarted = await PatchAsync(location, stream.StreamKey, restart, etag))
        {
            Assert.Equal((HttpStatusCode)422, restarted.StatusCode);
        }

        using (var stale = await PatchAsync(location, stream.StreamKey, candidate, "\"another\""))
        {
            Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        }

        using (var wrongType = await PatchAsync(location, stream.StreamKey, candidate, etag, "application/sdp"))
        {
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);
        }

        using (var wrongKey = await PatchAsync(location, "nio_" + new string('y', 43), candidate, etag))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        }

        (await SendAsync(HttpMethod.Delete, location, stream.StreamKey)).Dispose();
    }

    [Fact]
    public async Task A_second_whip_publisher_with_the_key_takes_the_stream_over()
    {
        var (_, stream) = await ingest.Api.CreateStreamAsync();
        using var first = await PostAsync(ChromiumOffer, stream.StreamKey);
        await ingest.WaitForStatusAsync(stream.Id, StreamStatus.Live, Soon);

        using var second = await PostAsync(ChromiumOffer, stream.StreamKey);

        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        // Well within the consent timeout, which would end the first (it never connects) on its own.
        var sessions = ingest.Services.GetRequiredService<WhipSessions>();
        var firstId = first.Headers.Location!.OriginalString["/whip/".Length..];
        await Wait.UntilAsync(() => !sessions.TryGet(firstId, out _), TimeSpan.FromSeconds(2), "the first session was not ended by the takeover");
        Assert.Equal(StreamStatus.Live, await ingest.StatusAsync(stream.Id));
        (await SendAsync(HttpMethod.Delete, second.Headers.Location!.OriginalString, stream.StreamKey)).Dispose();
        Assert.Equal(StreamStatus.Offline, await ingest.StatusAsync(stream.Id));
    }

    [Fact]
    public async Task Random_datagrams_at_the_webrtc_port_disturb_no_other_session()
    {
        // Two sessions: the flood comes from an address that passed a check of the first, so its DTLS- and RTP-looking
        // datagrams reach that session's peer (at worst ending it); the second must not notice.
        var (_, first) = await ingest.Api.CreateStreamAsync();
        var (_, second) = await ingest.Api.CreateStreamAsync();
        using var flooded = await PostAsync(ChromiumOffer, first.StreamKey);
        using var bystander = await PostAsync(ChromiumOffer, second.StreamKey);
        var port = new IPEndPoint(IPAddress.Loopback, ingest.Services.GetRequiredService<WebRtcTransport>().Port);
        using var attacker = LoopbackSocket();
        using var other = LoopbackSocket();
        Assert.True(Check(attacker, port, await flooded.Content.ReadAsStringAsync()), "the first session's check was not answered");

        // Every kind the port tells apart: STUN-, DTLS- and RTP-looking first bytes, and everything else (fixed seed).
        var random = new Random(9725);
        var datagram = new byte[1500];
        for (var i = 0; i < 20_000; i++)
        {
            var length = random.Next(0, datagram.Length);
            random.NextBytes(datagram.AsSpan(0, length));
            if (length > 0 && i % 4 != 3)
            {
                datagram[0] = (byte)(i % 4 switch { 0 => random.Next(0, 4), 1 => random.Next(20, 64), _ => random.Next(128, 192) });
            }

            attacker.SendTo(datagram.AsSpan(0, length), SocketFlags.None, port);
        }

        // The receive thread lives and the other session is answered as before.
        Assert.True(Check(other, port, await bystander.Content.ReadAsStringAsync()), "the other session's check got no success response after the flood");
        (await SendAsync(HttpMethod.Delete, flooded.Headers.Location!.OriginalString, first.StreamKey)).Dispose();
        (await SendAsync(HttpMethod.Delete, bystander.Headers.Location!.OriginalString, second.StreamKey)).Dispose();
    }

    private static Socket LoopbackSocket()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 500 };
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    /// <summary>
    /// Sends the session's connectivity check (as the offer's "H82V" controlling agent, nominating) until a success
    /// response comes back, for up to 20 tries; whatever else arrives meanwhile is skipped.
    /// </summary>
    private static bool Check(Socket socket, IPEndPoint port, string answer)
    {
        var ufrag = IceAttribute().Match(answer).Groups["ufrag"].Value;
        var password = IcePassword().Match(answer).Groups["pwd"].Value;
        var check = new byte[256];
        var writer = new StunMessageWriter(check, StunMessageType.Compose(StunMethod.Binding, StunClass.Request), RandomTransactionId());
        writer.WriteUsername(Encoding.ASCII.GetBytes($"{ufrag}:H82V"));
        writer.WriteIceControlling(42);
        writer.WriteUseCandidate();
        writer.WriteMessageIntegrity(Encoding.ASCII.GetBytes(password));
        writer.WriteFingerprint();
        var written = writer.Length;
        var response = new byte[1500];
        for (var attempt = 0; attempt < 20; attempt++)
        {
            socket.SendTo(check.AsSpan(0, written), SocketFlags.None, port);
            try
            {
                while (true)
                {
                    var length = socket.Receive(response);
                    if (StunMessage.TryParse(response.AsSpan(0, length), out var message, out _) && message.Class == StunClass.SuccessResponse)
                    {
                        return true;
                    }
                }
            }
            catch (SocketException)
            {
                // Nothing within the timeout: the flood may still be being read; ask again.
            }
        }

        return false;
    }

    private static byte[] RandomTransactionId() => [.. Enumerable.Range(0, StunMessage.TransactionIdLength).Select(_ => (byte)Random.Shared.Next(256))];

    [GeneratedRegex(@"a=ice-ufrag:(?<ufrag>\S+)")]
    private static partial Regex IceAttribute();

    [GeneratedRegex(@"a=ice-pwd:(?<pwd>\S+)")]
    private static partial Regex IcePassword();

    private string Url(string location) => new Uri(new Uri(ingest.WhipUrl), location).ToString();

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values)
        : response.Content.Headers.TryGetValues(name, out var content) ? string.Join(", ", content) : "";

    private Task<HttpResponseMessage> PostAsync(string sdp, string? key, string contentType = "application/sdp")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, ingest.WhipUrl) { Content = new StringContent(sdp, Encoding.UTF8, contentType) };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return http.SendAsync(request);
    }

    private Task<HttpResponseMessage> PatchAsync(string location, string key, string fragment, string etag, string contentType = "application/trickle-ice-sdpfrag")
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, Url(location)) { Content = new StringContent(fragment, Encoding.UTF8, contentType) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        return http.SendAsync(request);
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string location, string key) =>
        http.SendAsync(new HttpRequestMessage(method, Url(location)) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", key) } });
}
