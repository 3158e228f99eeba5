using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Nio.TestSupport;

/// <summary>What tests of several projects need from the machine: the checkout, free ports, child processes.</summary>
public static class TestHost
{
    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Nio.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Nio.sln not found above " + AppContext.BaseDirectory);
    }

    // Ports already handed out in this process: the kernel may give a port it just freed to the next caller, and two
    // services of one stack, given the same port, fail to start ("address already in use").
    private static readonly HashSet<int> HandedOut = [];

    /// <summary>A loopback TCP port free now and not handed out before in this process.</summary>
    public static int FreePort()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (HandedOut)
            {
                if (HandedOut.Add(port))
                {
                    return port;
                }
            }
        }
    }

    public static bool IsListening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Waits until the server process listens on the port (20 s at most); throws with its errors if it exits first.</summary>
    public static void WaitUntilListening(Process server, int port, string name)
    {
        var deadline = Stopwatch.StartNew();
        while (!IsListening(port))
        {
            if (server.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(20))
            {
                throw new InvalidOperationException($"{name} did not start: " + server.StandardError.ReadToEnd());
            }

            Thread.Sleep(50);
        }
    }

    /// <summary>Runs a program to completion in the repository root and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(
        string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryRoot() };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }
}
