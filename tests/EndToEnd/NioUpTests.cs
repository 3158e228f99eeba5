using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Nio.TestSupport;

namespace Nio.EndToEnd;

/// <summary>The README's run command, as a new user runs it: start, use with plain HTTP, Ctrl-C.</summary>
public sealed class NioUpTests : IDisposable
{
    private const int SigInt = 2;

    private readonly string dataDir = Path.Combine(Path.GetTempPath(), "nio-up-test-" + Guid.NewGuid().ToString("N")[..12]);

    [Fact]
    public async Task Nio_up_starts_the_platform_serves_the_readme_flow_and_ctrl_c_stops_everything()
    {
        var apiPort = TestHost.FreePort();
        var postgresPort = TestHost.FreePort();
        var rtmpPort = TestHost.FreePort();
        var ingestPort = TestHost.FreePort();
        var transcoderPort = TestHost.FreePort();
        var originPort = TestHost.FreePort();
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = TestHost.RepositoryRoot() };
        start.ArgumentList.Add("nio");
        start.ArgumentList.Add("up");
        start.Environment["PORT"] = apiPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["NIO_PG_PORT"] = postgresPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["NIO_RTMP_PORT"] = rtmpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["NIO_INGEST_PORT"] = ingestPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["NIO_TRANSCODER_PORT"] = transcoderPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["NIO_ORIGIN_PORT"] = originPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["NIO_PLAYBACK_URL"] = $"http://{{host}}:{originPort}/live";
        start.Environment["NIO_DATA_DIR"] = dataDir;
        start.Environment["NIO_ADMIN_EMAIL"] = "operator@example.com";
        start.Environment["NIO_ADMIN_PASSWORD"] = "operator-password-1";
        start.Environment.Remove("NIO_DATABASE_URL");
        var log = new StringBuilder();
        using var nio = Process.Start(start)!;
        nio.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        nio.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        nio.BeginOutputReadLine();
        nio.BeginErrorReadLine();

        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}") };
            await WaitForHealthAsync(http, nio, log);
            Assert.Contains($"http://127.0.0.1:{apiPort}", Snapshot(log));

            // The README's first steps: register, see myself, create a stream and get its key and URLs.
            var register = await http.PostAsJsonAsync("/api/auth/register", new { email = "me@example.com", password = "correct horse 1", displayName = "Me" });
            Assert.Equal(HttpStatusCode.Created, register.StatusCode);
            var token = JsonDocument.Parse(await register.Content.ReadAsStringAsync()).RootElement.GetProperty("accessToken").GetString();
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            var stream = await http.PostAsJsonAsync("/api/streams", new { title = "My first stream" });
            Assert.Equal(HttpStatusCode.Created, stream.StatusCode);
            var created = JsonDocument.Parse(await stream.Content.ReadAsStringAsync()).RootElement;
            Assert.StartsWith("nio_", created.GetProperty("streamKey").GetString());
            Assert.Equal("rtmp://127.0.0.1:1935/live", created.GetProperty("rtmpUrl").GetString());

            // The README's publish step: ffmpeg pushes to the Ingest with the key, and the stream goes live.
            var streamId = created.GetProperty("id").GetString();
            using (var publisher = Publisher.Ffmpeg($"rtmp://127.0.0.1:{rtmpPort}/live/{created.GetProperty("streamKey").GetString()}", seconds: 20))
            {
                var deadline = DateTime.UtcNow.AddSeconds(15);
                string? status;
                do
                {
                    await Task.Delay(200);
                    status = JsonDocument.Parse(await http.GetStringAsync($"/api/streams/{streamId}")).RootElement.GetProperty("status").GetString();
                }
                while (status != "live" && DateTime.UtcNow < deadline && !publisher.HasExited);

                Assert.True(status == "live", "the stream did not go live: " + publisher.Output + Snapshot(log));

                // The Transcoder picks the stream up and writes its LL-HLS ladder to the media store.
                var master = Path.Combine(dataDir, "media", "live", streamId!, "master.m3u8");
                deadline = DateTime.UtcNow.AddSeconds(15);
                while (!File.Exists(master) && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(200);
                }

                Assert.True(File.Exists(master), "no multivariant playlist was written:\n" + Snapshot(log));

                // A player opens the playbackUrl on the Origin, then blocks for the next part of a rendition.
                using var player = new HttpClient();
                var playbackUrl = created.GetProperty("playbackUrl").GetString()!;
                var variants = await player.GetStringAsync(playbackUrl);
                Assert.Equal(3, variants.Split("#EXT-X-STREAM-INF:").Length - 1);
                var media = new Uri(new Uri(playbackUrl), "240p/index.m3u8");
                var playlist = await player.GetStringAsync(media);
                var last = System.Text.RegularExpressions.Regex.Matches(playlist, @"#EXT-X-PART:[^\n]*URI=""[0-9a-f]+-part(\d+)\.m4s""").Count;
                Assert.True(last > 0, playlist);
                var next = await player.GetStringAsync(new Uri(media, $"index.m3u8?_HLS_msn=0&_HLS_part=0"));
                Assert.Contains("#EXT-X-PRELOAD-HINT", next);
            }

            // The operator named in the environment can log in as an admin.
            var admin = await http.PostAsJsonAsync("/api/auth/login", new { email = "operator@example.com", password = "operator-password-1" });
            Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
            Assert.Contains("\"admin\"", await admin.Content.ReadAsStringAsync());

            // Secrets generated at first run live in the data folder, readable by the owner only, and never in the log.
            var jwtSecret = await File.ReadAllTextAsync(Path.Combine(dataDir, "secrets", "jwt_secret"));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dataDir, "secrets", "jwt_secret")));
            Assert.DoesNotContain(jwtSecret.Trim(), Snapshot(log));
            Assert.DoesNotContain(created.GetProperty("streamKey").GetString()!, Snapshot(log));
        }
        finally
        {
            Assert.Equal(0, Kill(nio.Id, SigInt));
            Assert.True(nio.WaitForExit(TimeSpan.FromSeconds(60)), "nio up did not stop within 60 s of Ctrl-C:\n" + Snapshot(log));
        }

        Assert.False(TestHost.IsListening(apiPort), "the Api still listens after Ctrl-C");
        Assert.False(TestHost.IsListening(postgresPort), "PostgreSQL still listens after Ctrl-C");
        Assert.False(TestHost.IsListening(rtmpPort), "the Ingest still listens after Ctrl-C");
        Assert.False(TestHost.IsListening(transcoderPort), "the Transcoder still listens after Ctrl-C");
        Assert.False(TestHost.IsListening(originPort), "the Origin still listens after Ctrl-C");
        Assert.Empty(Directory.GetFiles(dataDir, "*.pid"));
    }

    public void Dispose()
    {
        if (Directory.Exists(dataDir))
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    /// <summary>Waits for the banner nio up prints once every service answers its /healthz, then checks the Api's.</summary>
    private static async Task WaitForHealthAsync(HttpClient http, Process nio, StringBuilder log)
    {
        var deadline = DateTime.UtcNow.AddMinutes(4);
        while (!Snapshot(log).Contains("NIO is up.", StringComparison.Ordinal))
        {
            Assert.False(nio.HasExited, "nio up exited early:\n" + Snapshot(log));
            Assert.True(DateTime.UtcNow < deadline, "nio up did not come up in time:\n" + Snapshot(log));
            await Task.Delay(250);
        }

        Assert.Contains("\"Healthy\"", await http.GetStringAsync("/healthz"));
    }

    private static string Snapshot(StringBuilder log)
    {
        lock (log)
        {
            return log.ToString();
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
