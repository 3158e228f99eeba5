using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.SignalR.Client;
using Nio.TestSupport;

namespace Nio.EndToEnd;

/// <summary>The README's run command, as a new user runs it: start, use with plain HTTP, watch in a browser, Ctrl-C.</summary>
public sealed class NioUpTests
{
    [Fact]
    public async Task Nio_up_starts_the_platform_serves_the_readme_flow_and_ctrl_c_stops_everything()
    {
        using var nio = await NioUp.StartAsync(new Dictionary<string, string>
        {
            ["NIO_ADMIN_EMAIL"] = "operator@example.com",
            ["NIO_ADMIN_PASSWORD"] = "operator-password-1",
        });
        Assert.Contains($"http://127.0.0.1:{nio.ApiPort}", nio.Log);
        // The admin panel is up beside the Api, listed with the others, and asks operators to sign in.
        Assert.Contains($"Admin      http://127.0.0.1:{nio.AdminPort}/", nio.Log);
        using (var panel = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri($"http://127.0.0.1:{nio.AdminPort}") })
        {
            Assert.Equal(HttpStatusCode.OK, (await panel.GetAsync("/healthz")).StatusCode);
            Assert.EndsWith("/signin?ReturnUrl=%2F", (await panel.GetAsync("/")).Headers.Location?.ToString());
            // The live preview's player, from the panel's own build output.
            var hlsJs = await panel.GetStringAsync("/lib/hls.min.js");
            Assert.True(hlsJs.Length > 100_000, $"the panel serves {hlsJs.Length} bytes of hls.js");
        }

        // The README's first steps: register, create a stream and get its key and URLs.
        var created = await nio.CreateStreamAsync("me@example.com", "My first stream");
        var streamKey = created.GetProperty("streamKey").GetString()!;
        Assert.StartsWith("nio_", streamKey);
        // The URLs handed out follow the ports ./nio up was given.
        Assert.Equal($"rtmp://127.0.0.1:{nio.RtmpPort}/live", created.GetProperty("rtmpUrl").GetString());
        Assert.Equal($"http://127.0.0.1:{nio.IngestPort}/whip", created.GetProperty("whipUrl").GetString());

        // The README's publish step: ffmpeg pushes to the Ingest with the key, and the stream goes live.
        var streamId = created.GetProperty("id").GetString()!;
        using (var publisher = Publisher.Ffmpeg($"rtmp://127.0.0.1:{nio.RtmpPort}/live/{streamKey}", seconds: 90))
        {
            Assert.True(await nio.WaitForStatusAsync(streamId, "live", TimeSpan.FromSeconds(15)), "the stream did not go live: " + publisher.Output + nio.Log);

            // The Transcoder picks the stream up and writes its LL-HLS ladder to the media store.
            var master = Path.Combine(nio.DataDir, "media", "live", streamId, "master.m3u8");
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (!File.Exists(master) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }

            Assert.True(File.Exists(master), "no multivariant playlist was written:\n" + nio.Log);

            // A player opens the playbackUrl on the Origin, then blocks for the next part of a rendition.
            using var player = new HttpClient();
            var playbackUrl = created.GetProperty("playbackUrl").GetString()!;
            var variants = await player.GetStringAsync(playbackUrl);
            Assert.Equal(3, variants.Split("#EXT-X-STREAM-INF:").Length - 1);
            var media = new Uri(new Uri(playbackUrl), "240p/index.m3u8");
            var playlist = await player.GetStringAsync(media);
            Assert.Matches(@"#EXT-X-PART:[^\n]*URI=""[0-9a-f]+-part\d+\.m4s""", playlist);
            var next = await player.GetStringAsync(new Uri(media, "index.m3u8?_HLS_msn=0&_HLS_part=0"));
            Assert.Contains("#EXT-X-PRELOAD-HINT", next);

            // A signed-in SignalR client in the stream's room says hello once the watch page has joined it too (two viewers).
            await using var chat = new HubConnectionBuilder()
                .WithUrl($"http://127.0.0.1:{nio.ApiPort}/hubs/stream", o => o.AccessTokenProvider = () => Task.FromResult(nio.Api.DefaultRequestHeaders.Authorization?.Parameter))
                .Build();
            var pageJoined = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            chat.On<JsonElement>("viewerCount", e =>
            {
                if (e.GetProperty("count").GetInt32() >= 2)
                {
                    pageJoined.TrySetResult();
                }
            });
            await chat.StartAsync();
            await chat.InvokeAsync<JsonElement>("JoinStream", streamId);
            const string hello = "Hello from SignalR <b>not bold</b>";
            var said = SayHelloAsync();

            async Task SayHelloAsync()
            {
                await pageJoined.Task.WaitAsync(TimeSpan.FromSeconds(60));
                await chat.InvokeAsync<JsonElement>("SendMessage", streamId, hello);
            }

            // The watch page plays it in headless Chromium: hls.js in low-latency mode, the picture moves, no fatal error;
            // its chat shows the hello as it came, as text.
            var watched = await WatchReport.WatchAsync($"http://127.0.0.1:{nio.ApiPort}/watch/{streamId}", seconds: 4, chatText: hello);
            var seen = string.Join('\n', watched.Console);
            Assert.True(watched.Error is null, watched.Error + "\n" + seen);
            await said;
            Assert.Contains(watched.Chat!, line => line.EndsWith("Me" + hello, StringComparison.Ordinal));
            Assert.Matches(@"^\d+ viewers?$", watched.Viewers);
            Assert.True(watched.Advanced > 2.5, $"the video advanced only {watched.Advanced:0.00} s in 4 s\n{seen}");
            Assert.Equal(0, watched.FatalErrors);
            Assert.Equal("playing", watched.Phase);
            Assert.True(watched.VideoWidth > 0, "no picture was decoded");
            Assert.Matches(@"^\d+\.\d s behind live$", watched.Latency);
        }

        // The operator named in the environment can log in as an admin.
        var admin = await nio.Api.PostAsJsonAsync("/api/auth/login", new { email = "operator@example.com", password = "operator-password-1" });
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Contains("\"admin\"", await admin.Content.ReadAsStringAsync());

        // Secrets generated at first run live in the data folder, readable by the owner only, and never in the log.
        var jwtSecret = await File.ReadAllTextAsync(Path.Combine(nio.DataDir, "secrets", "jwt_secret"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(nio.DataDir, "secrets", "jwt_secret")));
        Assert.DoesNotContain(jwtSecret.Trim(), nio.Log);
        Assert.DoesNotContain(streamKey, nio.Log);

        Assert.True(nio.Interrupt(), "nio up did not stop within 60 s of Ctrl-C:\n" + nio.Log);
        Assert.False(TestHost.IsListening(nio.ApiPort), "the Api still listens after Ctrl-C");
        Assert.False(TestHost.IsListening(nio.PostgresPort), "PostgreSQL still listens after Ctrl-C");
        Assert.False(TestHost.IsListening(nio.RtmpPort), "the Ingest still listens after Ctrl-C");
        Assert.False(TestHost.IsListening(nio.TranscoderPort), "the Transcoder still listens after Ctrl-C");
        Assert.False(TestHost.IsListening(nio.OriginPort), "the Origin still listens after Ctrl-C");
        Assert.False(TestHost.IsListening(nio.AdminPort), "the admin panel still listens after Ctrl-C");
        Assert.Empty(Directory.GetFiles(nio.DataDir, "*.pid"));
    }
}
