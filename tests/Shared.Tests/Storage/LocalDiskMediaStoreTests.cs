using Nio.Shared.Storage;

namespace Nio.Shared.Tests.Storage;

public sealed class LocalDiskMediaStoreTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("nio-store-").FullName;
    private readonly LocalDiskMediaStore store;

    public LocalDiskMediaStoreTests() => store = new LocalDiskMediaStore(Path.Combine(root, "media"));

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task Objects_round_trip_and_overwrite()
    {
        byte[] first = [0, 1, 2, 255];
        await store.WriteAsync("live/a/source/init.mp4", first, "video/mp4", default);
        Assert.Equal(first, await store.ReadAsync("live/a/source/init.mp4", default));

        await store.WriteAsync("live/a/source/init.mp4", new byte[] { 9 }, "video/mp4", default);
        Assert.Equal([9], await store.ReadAsync("live/a/source/init.mp4", default));
    }

    [Fact]
    public async Task Missing_objects_read_as_null_and_delete_quietly()
    {
        Assert.Null(await store.ReadAsync("live/nothing/here.m4s", default));
        await store.DeleteAsync("live/nothing/here.m4s", default);
    }

    [Fact]
    public async Task Listing_returns_exactly_the_objects_under_the_prefix()
    {
        foreach (var path in new[] { "live/a/master.m3u8", "live/a/240p/seg1.m4s", "live/ab/master.m3u8", "other/x" })
        {
            await store.WriteAsync(path, new byte[] { 1 }, "application/octet-stream", default);
        }

        Assert.Equal(["live/a/240p/seg1.m4s", "live/a/master.m3u8"], (await store.ListAsync("live/a/", default).ToListAsync()).Order());
        Assert.Equal(["live/a/240p/seg1.m4s", "live/a/master.m3u8", "live/ab/master.m3u8"], (await store.ListAsync("live/a", default).ToListAsync()).Order());
        Assert.Empty(await store.ListAsync("live/zzz/", default).ToListAsync());
    }

    [Fact]
    public async Task Concurrent_writes_leave_one_complete_version()
    {
        var versions = Enumerable.Range(0, 20).Select(i => Enumerable.Repeat((byte)i, 256 * 1024).ToArray()).ToList();

        await Task.WhenAll(versions.Select(v => Task.Run(() => store.WriteAsync("live/a/seg0.m4s", v, "video/mp4", default))));

        var stored = await store.ReadAsync("live/a/seg0.m4s", default);
        Assert.Contains(versions, v => v.AsSpan().SequenceEqual(stored));
        Assert.Single(await store.ListAsync("live/a/", default).ToListAsync());
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
        await Assert.ThrowsAsync<ArgumentException>(() => store.WriteAsync(path, new byte[] { 1 }, "video/mp4", default));
        await Assert.ThrowsAsync<ArgumentException>(() => store.ReadAsync(path, default));
        await Assert.ThrowsAsync<ArgumentException>(() => store.DeleteAsync(path, default));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.ListAsync(path, default).ToListAsync());
        Assert.DoesNotContain(Directory.GetFileSystemEntries(root), e => !e.EndsWith("media", StringComparison.Ordinal));
    }

    [Fact]
    public void Overlong_paths_are_refused()
    {
        Assert.Throws<ArgumentException>(() => MediaPath.Validate("live/" + new string('a', MediaPath.MaxLength)));
        Assert.Equal("live/a/", MediaPath.ValidatePrefix("live/a/"));
    }
}
