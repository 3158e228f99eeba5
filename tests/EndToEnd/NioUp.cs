using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Nio.TestSupport;

namespace Nio.EndToEnd;

/// <summary>
/// <c>./nio up</c> as a user starts it, on free ports with a data folder of its own, plus the README's first steps
/// (register, create a stream). Dispose interrupts it like Ctrl-C if the test has not.
/// </summary>
public sealed class NioUp : IDisposable
{
    private const int SigInt = 2;

    private readonly Process nio;
    private readonly StringBuilder log = new();

    private NioUp(IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = TestHost.RepositoryRoot() };
        start.ArgumentList.Add("nio");
        start.ArgumentList.Add("up");
        start.Environment["PORT"] = Text(ApiPort);
        start.Environment["NIO_PG_PORT"] = Text(PostgresPort);
        start.Environment["NIO_RTMP_PORT"] = Text(RtmpPort);
        start.Environment["NIO_INGEST_PORT"] = Text(IngestPort);
        start.Environment["NIO_TRANSCODER_PORT"] = Text(TranscoderPort);
        start.Environment["NIO_ORIGIN_PORT"] = Text(OriginPort);
        start.Environment["NIO_ADMIN_PORT"] = Text(AdminPort);
        start.Environment["NIO_API_INTERNAL_PORT"] = Text(TestHost.FreePort());
        start.Environment["NIO_INGEST_INTERNAL_PORT"] = Text(TestHost.FreePort());
        start.Environment["NIO_ORIGIN_INTERNAL_PORT"] = Text(TestHost.FreePort());
        // The Ingest's WebRTC port (UDP) too: two platforms started side by side must not share it.
        start.Environment["NIO_WEBRTC_UDP_PORT"] = Text(TestHost.FreePort());
        start.Environment["NIO_DATA_DIR"] = DataDir;
        start.Environment.Remove("NIO_DATABASE_URL");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        nio = Process.Start(start)!;
        nio.OutputDataReceived += (_, e) => Append(e.Data);
        nio.ErrorDataReceived += (_, e) => Append(e.Data);
        nio.BeginOutputReadLine();
        nio.BeginErrorReadLine();
        Api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ApiPort}") };
    }

    public int ApiPort { get; } = TestHost.FreePort();

    public int PostgresPort { get; } = TestHost.FreePort();

    public int RtmpPort { get; } = TestHost.FreePort();

    public int IngestPort { get; } = TestHost.FreePort();

    public int TranscoderPort { get; } = TestHost.FreePort();

    public int OriginPort { get; } = TestHost.FreePort();

    public int AdminPort { get; } = TestHost.FreePort();

    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "nio-up-test-" + Guid.NewGuid().ToString("N")[..12]);

    public HttpClient Api { get; }

    /// <summary>Everything nio up and its services printed so far.</summary>
    public string Log
    {
        get
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    public bool HasExited => nio.HasExited;

    /// <summary>Starts nio up and waits for the banner it prints once every service answers its /healthz.</summary>
    public static async Task<NioUp> StartAsync(IReadOnlyDictionary<string, string>? environment = null)
    {
        var up = new NioUp(environment ?? new Dictionary<string, string>());
        var deadline = DateTime.UtcNow.AddMinutes(4);
        while (!up.Log.Contains("NIO is up.", StringComparison.Ordinal))
        {
            Assert.False(up.HasExited, "nio up exited early:\n" + up.Log);
            Assert.True(DateTime.UtcNow < deadline, "nio up did not come up in time:\n" + up.Log);
            await Task.Delay(250);
        }

        Assert.Contains("\"Healthy\"", await up.Api.GetStringAsync("/healthz"));
        return up;
    }

    /// <summary>Registers a new user (whose token the Api client then carries) and creates a stream: the create answer.</summary>
    public async Task<JsonElement> CreateStreamAsync(string email, string title)
    {
        var register = await Api.PostAsJsonAsync("/api/auth/register", new { email, password = "correct horse 1", displayName = "Me" });
        Assert.Equal(HttpStatusCode.Created, register.StatusCode);
        var token = JsonDocument.Parse(await register.Content.ReadAsStringAsync()).RootElement.GetProperty("accessToken").GetString();
        Api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var stream = await Api.PostAsJsonAsync("/api/streams", new { title });
        Assert.Equal(HttpStatusCode.Created, stream.StatusCode);
        return JsonDocument.Parse(await stream.Content.ReadAsStringAsync()).RootElement;
    }

    /// <summary>Waits until the Api reports the stream in <paramref name="status"/>; false after the timeout.</summary>
    public async Task<bool> WaitForStatusAsync(string streamId, string status, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        do
        {
            var current = JsonDocument.Parse(await Api.GetStringAsync($"/api/streams/{streamId}")).RootElement.GetProperty("status").GetString();
            if (current == status)
            {
                return true;
            }

            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);
        return false;
    }

    /// <summary>Ctrl-C, then waits for nio up to stop everything; false if it did not within a minute.</summary>
    public bool Interrupt()
    {
        Assert.Equal(0, Kill(nio.Id, SigInt));
        return nio.WaitForExit(TimeSpan.FromSeconds(60));
    }

    public void Dispose()
    {
        if (!nio.HasExited)
        {
            Interrupt();
        }

        nio.Dispose();
        Api.Dispose();
        if (Directory.Exists(DataDir))
        {
            Directory.Delete(DataDir, recursive: true);
        }
    }

    private void Append(string? line)
    {
        lock (log)
        {
            log.AppendLine(line);
        }
    }

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
