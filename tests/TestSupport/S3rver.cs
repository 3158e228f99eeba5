using System.Diagnostics;
using System.Globalization;
using Nio.Shared.Storage;

namespace Nio.TestSupport;

/// <summary>
/// A real S3-compatible server (s3rver from npm, installed into <c>tests/TestSupport/s3rver</c> by <c>./nio test</c>)
/// on a loopback port, with its files in a temporary folder.
/// </summary>
public sealed class S3rver : IDisposable
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private readonly string directory = Directory.CreateTempSubdirectory("nio-s3rver-").FullName;
    private Process? server;

    public S3rver()
    {
        Start();
    }

    /// <summary>
    /// Starts the server (again) on the same port with the same files: after <see cref="Stop"/>, it comes back with every
    /// bucket and object it had.
    /// </summary>
    public void Start()
    {
        var executable = Path.Combine(TestHost.RepositoryRoot(), "tests", "TestSupport", "s3rver", "node_modules", ".bin", "s3rver");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"s3rver is not installed at {executable}: run ./nio test, which installs it with npm.");
        }

        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--directory", directory, "--address", "127.0.0.1", "--port", Port.ToString(CultureInfo.InvariantCulture), "--silent" })
        {
            start.ArgumentList.Add(argument);
        }

        server = Process.Start(start)!;
        TestHost.WaitUntilListening(server, Port, "s3rver");
    }

    /// <summary>Kills the server: every request is refused until <see cref="Start"/>.</summary>
    public void Stop()
    {
        if (server is null)
        {
            return;
        }

        server.Kill(entireProcessTree: true);
        server.WaitForExit();
        server.Dispose();
        server = null;
    }

    public int Port { get; } = TestHost.FreePort();

    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>Options for a bucket of the caller's own, so tests never see each other's objects.</summary>
    public S3Options NewBucket() => new()
    {
        Endpoint = Endpoint,
        AccessKey = AccessKey,
        SecretKey = SecretKey,
        Bucket = "nio-" + Guid.NewGuid().ToString("N")[..12],
    };

    public void Dispose()
    {
        Stop();
        Directory.Delete(directory, recursive: true);
    }
}
