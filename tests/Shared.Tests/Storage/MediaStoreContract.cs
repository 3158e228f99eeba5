using Nio.Shared.Storage;

namespace Nio.Shared.Tests.Storage;

/// <summary>What every media store backend must do; each backend's test class runs all of it.</summary>
public abstract class MediaStoreContract
{
    protected abstract IMediaStore Store { get; }

    [Fact]
    public async Task Objects_round_trip_and_overwrite()
    {
        byte[] first = [0, 1, 2, 255];
        await Store.WriteAsync("live/a/source/init.mp4", first, "video/mp4", default);
        Assert.Equal(first, await Store.ReadAsync("live/a/source/init.mp4", default));

        await Store.WriteAsync("live/a/source/init.mp4", new byte[] { 9 }, "video/mp4", default);
        Assert.Equal([9], await Store.ReadAsync("live/a/source/init.mp4", default));
    }

    [Fact]
    public async Task Missing_objects_read_as_null_and_delete_quietly()
    {
        Assert.Null(await Store.ReadAsync("live/nothing/here.m4s", default));
        await Store.DeleteAsync("live/nothing/here.m4s", default);
    }

    [Theory]
    [InlineData("../outside")]
    [InlineData("live/../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("live//x")]
    [InlineData("live/./x")]
    [InlineData("live\\..\\x")]
    [InlineData("live/%2e%2e/x")]
    [InlineData("live/a b")]
    [InlineData("live/\u0000")]
    [InlineData("")]
    public async Task Paths_that_could_leave_the_store_are_refused_by_every_operation(string path)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.WriteAsync(path, new byte[] { 1 }, "video/mp4", default));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ReadAsync(path, default));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.DeleteAsync(path, default));
    }

    [Fact]
    public void Overlong_paths_are_refused()
    {
        Assert.Throws<ArgumentException>(() => MediaPath.Validate("live/" + new string('a', MediaPath.MaxLength)));
        Assert.Equal("live/a/seg0.m4s", MediaPath.Validate("live/a/seg0.m4s"));
    }
}

public sealed class LocalDiskMediaStoreTests : MediaStoreContract, IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("nio-store-").FullName;

    public LocalDiskMediaStoreTests() => Store = new LocalDiskMediaStore(Path.Combine(root, "media"));

    protected override IMediaStore Store { get; }

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task Concurrent_writes_leave_one_complete_version()
    {
        var versions = Enumerable.Range(0, 20).Select(i => Enumerable.Repeat((byte)i, 256 * 1024).ToArray()).ToList();

        await Task.WhenAll(versions.Select(v => Task.Run(() => Store.WriteAsync("live/a/seg0.m4s", v, "video/mp4", default))));

        var stored = await Store.ReadAsync("live/a/seg0.m4s", default);
        Assert.Contains(versions, v => v.AsSpan().SequenceEqual(stored));
    }
}
