using System.Security.Cryptography;
using Nio.Origin.Hosting;

namespace Nio.Origin.Tests;

public sealed class MemoryFileTests
{
    [Fact]
    public void Holds_a_copy_of_the_bytes_until_it_is_let_go()
    {
        var bytes = RandomNumberGenerator.GetBytes(300_000);
        using var file = MemoryFile.TryCreate(bytes);

        Assert.NotNull(file);
        Assert.Equal(bytes.Length, file.Length);
        Assert.True(file.TryLease(out var fd));
        Assert.Equal(bytes, File.ReadAllBytes($"/proc/self/fd/{fd}"));
        file.EndLease();

        file.Dispose();
        Assert.False(file.TryLease(out _));
    }

    [Fact]
    public void A_lease_keeps_the_descriptor_open_through_a_dispose()
    {
        var file = MemoryFile.TryCreate([1, 2, 3])!;
        Assert.True(file.TryLease(out var fd));

        file.Dispose();

        // Still this file under the same number while leased, so a send in progress never reads another file.
        Assert.Equal([1, 2, 3], File.ReadAllBytes($"/proc/self/fd/{fd}"));
        file.EndLease();
        Assert.False(File.Exists($"/proc/self/fd/{fd}") && File.ReadAllBytes($"/proc/self/fd/{fd}") is [1, 2, 3]);
    }

    [Fact]
    public void Nothing_to_copy_makes_no_file() => Assert.Null(MemoryFile.TryCreate([]));
}
