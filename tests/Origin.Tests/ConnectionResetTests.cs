using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Nio.Origin.Tests;

/// <summary>
/// The Origin writes bodies to client sockets by descriptor (send, sendfile from in-memory copies). A client that
/// resets makes Kestrel dispose its socket on another thread, and Linux hands the freed descriptor number to the next
/// connection or in-memory file: no byte may ever go there.
/// </summary>
public sealed class ConnectionResetTests : IAsyncLifetime
{
    private readonly Guid streamId = Guid.NewGuid();
    private OriginUnderTest origin = null!;

    // Smaller than the files below together: in-memory copies are made and let go all the time.
    public async Task InitializeAsync() =>
        origin = await OriginUnderTest.StartAsync(new Dictionary<string, string?> { ["Origin:MediaCacheMegabytes"] = "6" });

    public async Task DisposeAsync() => await origin.DisposeAsync();

    [Fact]
    public async Task Clients_resetting_in_the_middle_of_bodies_never_change_a_byte_other_clients_receive()
    {
        var random = new Random(20261203);
        var files = new Dictionary<string, byte[]>();
        for (var i = 0; i < 12; i++)
        {
            var bytes = new byte[random.Next(2_000, 1_500_000)];
            random.NextBytes(bytes);
            files[$"b1-seg{i}.m4s"] = bytes;
            await origin.Store.WriteAsync($"live/{streamId}/240p/b1-seg{i}.m4s", bytes, "video/mp4", default);
        }

        var until = DateTime.UtcNow.AddSeconds(15);
        var resetters = Enumerable.Range(0, 6).Select(seed => Task.Run(() => ResetRepeatedlyAsync(new Random(seed), files, until)));
        var verified = new int[6];
        var readers = Enumerable.Range(0, 6).Select(seed => Task.Run(() => ReadRepeatedlyAsync(new Random(100 + seed), files, until, verified, seed)));
        await Task.WhenAll([.. resetters, .. readers]);

        Assert.All(verified, count => Assert.True(count > 0, "A reader never got an answer."));
        // And the in-memory copies the resets went on around are whole.
        foreach (var name in files.Keys)
        {
            await ReadAndCompareAsync([name], files, CancellationToken.None);
        }
    }

    /// <summary>Asks for a file, reads some of it (maybe none, maybe most), then resets (linger 0, close).</summary>
    private async Task ResetRepeatedlyAsync(Random random, Dictionary<string, byte[]> files, DateTime until)
    {
        var names = files.Keys.ToArray();
        var buffer = new byte[64 * 1024];
        while (DateTime.UtcNow < until)
        {
            using var client = new TcpClient { LingerState = new LingerOption(true, 0), NoDelay = true };
            await client.ConnectAsync(IPAddress.Loopback, origin.Port);
            var connection = client.GetStream();
            var name = names[random.Next(names.Length)];
            await connection.WriteAsync(Encoding.ASCII.GetBytes($"GET /live/{streamId}/240p/{name} HTTP/1.1\r\nHost: origin\r\n\r\n"));
            // Always before the end of the body (its headers come first), so the client never waits for more.
            var leaveAfter = random.Next(3) switch { 0 => 0, 1 => random.Next(1, 32 * 1024), _ => random.Next(1, 1_500_000) } % files[name].Length;
            try
            {
                for (var read = 0; read < leaveAfter;)
                {
                    var count = await connection.ReadAsync(buffer);
                    if (count == 0)
                    {
                        break;
                    }

                    read += count;
                }
            }
            catch (IOException)
            {
                // The Origin may have closed first; this client leaves all the same.
            }
        }
    }

    /// <summary>New connections one after another, each asking for one to three files pipelined, every byte compared.</summary>
    private async Task ReadRepeatedlyAsync(Random random, Dictionary<string, byte[]> files, DateTime until, int[] verified, int index)
    {
        var names = files.Keys.ToArray();
        while (DateTime.UtcNow < until)
        {
            var asked = Enumerable.Range(0, random.Next(1, 4)).Select(_ => names[random.Next(names.Length)]).ToArray();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await ReadAndCompareAsync(asked, files, deadline.Token);
            verified[index] += asked.Length;
        }
    }

    private async Task ReadAndCompareAsync(string[] asked, Dictionary<string, byte[]> files, CancellationToken cancellationToken)
    {
        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, origin.Port, cancellationToken);
        var connection = client.GetStream();
        await connection.WriteAsync(Encoding.ASCII.GetBytes(string.Concat(asked.Select(name => $"GET /live/{streamId}/240p/{name} HTTP/1.1\r\nHost: origin\r\n\r\n"))), cancellationToken);
        var reader = new RawHttpReader(connection);
        foreach (var name in asked)
        {
            var (status, body) = await reader.ReadAsync(cancellationToken);
            Assert.Equal(200, status);
            Assert.Equal(files[name].Length, body.Length);
            Assert.True(files[name].AsSpan().SequenceEqual(body), $"{name} differs from the stored file.");
        }
    }
}
