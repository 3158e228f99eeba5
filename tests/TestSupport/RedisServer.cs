using System.Diagnostics;
using System.Globalization;

namespace Nio.TestSupport;

/// <summary>A real Redis server (Debian's <c>redis-server</c>, installed by <c>./nio test</c>) on a loopback port, keeping nothing on disk.</summary>
public sealed class RedisServer : IDisposable
{
    private readonly Process server;

    public RedisServer()
    {
        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            server = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException("redis-server is not installed: run ./nio test, which installs it.", exception);
        }

        server.OutputDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        TestHost.WaitUntilListening(server, Port, "redis-server");
    }

    public int Port { get; } = TestHost.FreePort();

    public string Url => $"redis://127.0.0.1:{Port}";

    public void Dispose()
    {
        if (!server.HasExited)
        {
            server.Kill(entireProcessTree: true);
            server.WaitForExit();
        }

        server.Dispose();
    }
}

/// <summary>The built Api (<c>Nio.Api.dll</c> beside the tests) in a process of its own on a loopback port.</summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly string dataDir = Directory.CreateTempSubdirectory("nio-api-process-").FullName;
    private readonly System.Text.StringBuilder log = new();

    private ApiProcess(IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Nio.Api.dll"));
        start.Environment["PORT"] = Port.ToString(CultureInfo.InvariantCulture);
        start.Environment["NIO_DATA_DIR"] = dataDir;
        start.Environment["JWT_SECRET"] = ApiFactory.JwtSecret;
        start.Environment["NIO_API_INTERNAL_PORT"] = TestHost.FreePort().ToString(CultureInfo.InvariantCulture);
        start.Environment["NIO_INGEST_TO_API_SECRET"] = ApiFactory.IngestSecret;
        start.Environment["Jobs__RunServer"] = "false";
        start.Environment["RateLimits__RegistrationsPerMinute"] = "100000";
        start.Environment["RateLimits__LoginAttemptsPerMinute"] = "100000";
        start.Environment["Chat__MaxConnectionsPerAddress"] = "1000";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        process = Process.Start(start)!;
        process.OutputDataReceived += (_, line) => { lock (log) { log.AppendLine(line.Data); } };
        process.ErrorDataReceived += (_, line) => { lock (log) { log.AppendLine(line.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port { get; } = TestHost.FreePort();

    public string BaseUrl => $"http://127.0.0.1:{Port}";

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

    /// <summary>Starts the Api with these variables and waits until its <c>/healthz</c> answers 200.</summary>
    public static async Task<ApiProcess> StartAsync(IReadOnlyDictionary<string, string> environment)
    {
        var api = new ApiProcess(environment);
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (api.process.HasExited)
            {
                throw new InvalidOperationException($"The Api exited during start-up:\n{api.Log}");
            }

            try
            {
                if ((await http.GetAsync($"{api.BaseUrl}/healthz")).IsSuccessStatusCode)
                {
                    return api;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                await api.DisposeAsync();
                throw new TimeoutException($"The Api did not answer /healthz within 60 s:\n{api.Log}");
            }

            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        Directory.Delete(dataDir, recursive: true);
    }
}
