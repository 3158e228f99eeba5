using System.Diagnostics;
using Nio.Shared.Storage;
using Nio.TestSupport;

namespace Nio.Shared.Tests.Storage;

/// <summary>A real S3-compatible server (s3rver from npm, installed by <c>./nio test</c>) on a loopback port.</summary>
public sealed class S3rverFixture : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("nio-s3rver-").FullName;
    private readonly Process server;

    public S3rverFixture()
    {
        var executable = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "s3rver", "node_modules", ".bin", "s3rver");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"s3rver is not installed at {executable}: run ./nio test, which installs it with npm.");
        }

        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--directory", directory, "--address", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent" })
        {
            start.ArgumentList.Add(argument);
        }

        server = Process.Start(start)!;
        var deadline = Stopwatch.StartNew();
        while (!TestHost.IsListening(Port))
        {
            if (server.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(20))
            {
                throw new InvalidOperationException("s3rver did not start: " + server.StandardError.ReadToEnd());
            }

            Thread.Sleep(100);
        }
    }

    public int Port { get; } = TestHost.FreePort();

    public void Dispose()
    {
        server.Kill(entireProcessTree: true);
        server.WaitForExit();
        server.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}

/// <remarks>
/// Concurrent overwrites of one key are not tested here: S3 and MinIO replace an object atomically on PUT, but
/// s3rver writes its file in place, so a test of that guarantee would only test s3rver.
/// </remarks>
public sealed class S3MediaStoreTests(S3rverFixture s3rver) : MediaStoreContract, IClassFixture<S3rverFixture>
{
    // Each test class instance gets a bucket of its own, so tests never see each other's objects.
    protected override IMediaStore Store { get; } = new S3MediaStore(new S3Options
    {
        Endpoint = $"127.0.0.1:{s3rver.Port}",
        AccessKey = "S3RVER",
        SecretKey = "S3RVER",
        Bucket = "nio-" + Guid.NewGuid().ToString("N")[..12],
    });

    [Fact]
    public void Missing_endpoint_or_keys_fail_at_start_up_with_a_clear_message()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => new S3MediaStore(new S3Options { Endpoint = "127.0.0.1:1" }));
        Assert.Contains("NIO_S3_ACCESS_KEY", exception.Message);
    }
}
