using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Nio.Origin.Live;

namespace Nio.Origin.Tests;

public sealed class MediaCacheTests
{
    private readonly MediaCache cache = new(Options.Create(new MediaCacheOptions { MediaCacheMegabytes = 1 }));
    private int reads;

    [Fact]
    public async Task Requests_arriving_together_share_one_store_read()
    {
        var stored = new TaskCompletionSource<byte[]?>();
        var gets = Enumerable.Range(0, 50).Select(_ => cache.GetAsync("live/s/240p/part0.m4s", () => Counted(stored.Task), default)).ToList();
        stored.SetResult([1, 2, 3]);

        var files = await Task.WhenAll(gets);
        Assert.Equal(1, reads);
        Assert.All(files, file => Assert.Same(files[0], file));
    }

    [Fact]
    public async Task A_requester_that_gives_up_does_not_cancel_the_read_for_the_others()
    {
        var stored = new TaskCompletionSource<byte[]?>();
        using var impatient = new CancellationTokenSource();
        var first = cache.GetAsync("live/s/240p/part0.m4s", () => Counted(stored.Task), impatient.Token);
        var second = cache.GetAsync("live/s/240p/part0.m4s", () => Counted(stored.Task), default);
        await impatient.CancelAsync();
        stored.SetResult([7]);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.Equal([7], (await second)!.ToArray());
    }

    [Fact]
    public async Task A_missing_file_is_not_kept()
    {
        Assert.Null(await cache.GetAsync("live/s/240p/part1.m4s", () => Counted(Task.FromResult<byte[]?>(null)), default));
        Assert.Equal([5], (await cache.GetAsync("live/s/240p/part1.m4s", () => Counted(Task.FromResult<byte[]?>([5])), default))!.ToArray());
        Assert.Equal(2, reads);
    }

    [Fact]
    public async Task Past_its_bound_the_oldest_files_leave_first()
    {
        // Two of them are more than the 1 MB bound.
        var sixHundredKilobytes = new byte[600 * 1024];
        await cache.GetAsync("live/s/240p/seg0.m4s", () => Counted(Task.FromResult<byte[]?>(sixHundredKilobytes)), default);
        await cache.GetAsync("live/s/240p/seg1.m4s", () => Counted(Task.FromResult<byte[]?>(sixHundredKilobytes)), default);

        await cache.GetAsync("live/s/240p/seg1.m4s", () => Counted(Task.FromResult<byte[]?>(sixHundredKilobytes)), default);
        Assert.Equal(2, reads);
        await cache.GetAsync("live/s/240p/seg0.m4s", () => Counted(Task.FromResult<byte[]?>(sixHundredKilobytes)), default);
        Assert.Equal(3, reads);
    }

    [Fact]
    public async Task A_file_that_leaves_lets_its_in_memory_copy_go_at_once()
    {
        var first = await cache.GetAsync("live/s/240p/seg0.m4s", () => Counted(Task.FromResult<byte[]?>(new byte[600 * 1024])), default);
        first!.Release();

        await cache.GetAsync("live/s/240p/seg1.m4s", () => Counted(Task.FromResult<byte[]?>(new byte[600 * 1024])), default);

        Assert.False(first.TryHold());
    }

    [Fact]
    public async Task A_file_that_leaves_while_a_response_holds_it_keeps_its_bytes_until_released()
    {
        var bytes = RandomNumberGenerator.GetBytes(600 * 1024);
        var held = await cache.GetAsync("live/s/240p/seg0.m4s", () => Counted(Task.FromResult<byte[]?>(bytes.ToArray())), default);

        await cache.GetAsync("live/s/240p/seg1.m4s", () => Counted(Task.FromResult<byte[]?>(new byte[600 * 1024])), default);

        Assert.Equal(bytes, held!.ToArray());
        held.Release();
        Assert.False(held.TryHold());
    }

    [Fact]
    public async Task A_file_larger_than_the_whole_cache_is_still_served()
    {
        var bytes = RandomNumberGenerator.GetBytes(2 * 1024 * 1024);

        var file = await cache.GetAsync("live/s/240p/seg0.m4s", () => Counted(Task.FromResult<byte[]?>(bytes.ToArray())), default);

        Assert.Equal(bytes, file!.ToArray());
    }

    [Fact]
    public async Task Cached_bytes_live_outside_the_managed_heap()
    {
        var large = new MediaCache(Options.Create(new MediaCacheOptions { MediaCacheMegabytes = 64 }));
        var before = GC.GetTotalMemory(forceFullCollection: true);

        var files = new List<MediaFile>();
        for (var i = 0; i < 32; i++)
        {
            files.Add((await large.GetAsync($"live/s/240p/seg{i}.m4s", () => Task.FromResult<byte[]?>(new byte[1024 * 1024]), default))!);
        }

        // 32 MB cached and held; without in-memory files all of it would be arrays the collector carries.
        Assert.InRange(GC.GetTotalMemory(forceFullCollection: true) - before, long.MinValue, 8 * 1024 * 1024);
        files.ForEach(file => file.Release());
    }

    private Task<byte[]?> Counted(Task<byte[]?> read)
    {
        Interlocked.Increment(ref reads);
        return read;
    }
}
