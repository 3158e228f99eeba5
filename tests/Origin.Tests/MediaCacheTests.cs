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
        Assert.Equal([7], (await second)!.Bytes);
    }

    [Fact]
    public async Task A_missing_file_is_not_kept()
    {
        Assert.Null(await cache.GetAsync("live/s/240p/part1.m4s", () => Counted(Task.FromResult<byte[]?>(null)), default));
        Assert.Equal([5], (await cache.GetAsync("live/s/240p/part1.m4s", () => Counted(Task.FromResult<byte[]?>([5])), default))!.Bytes);
        Assert.Equal(2, reads);
    }

    [Fact]
    public async Task Past_its_bound_the_oldest_files_leave_first()
    {
        // Each file is held twice (its bytes and their in-memory copy): 600 KB of the 1 MB bound.
        var threeHundredKilobytes = new byte[300 * 1024];
        await cache.GetAsync("live/s/240p/seg0.m4s", () => Counted(Task.FromResult<byte[]?>(threeHundredKilobytes)), default);
        await cache.GetAsync("live/s/240p/seg1.m4s", () => Counted(Task.FromResult<byte[]?>(threeHundredKilobytes)), default);

        await cache.GetAsync("live/s/240p/seg1.m4s", () => Counted(Task.FromResult<byte[]?>(threeHundredKilobytes)), default);
        Assert.Equal(2, reads);
        await cache.GetAsync("live/s/240p/seg0.m4s", () => Counted(Task.FromResult<byte[]?>(threeHundredKilobytes)), default);
        Assert.Equal(3, reads);
    }

    [Fact]
    public async Task A_file_that_leaves_lets_its_in_memory_copy_go_at_once()
    {
        var threeHundredKilobytes = new byte[300 * 1024];
        var first = await cache.GetAsync("live/s/240p/seg0.m4s", () => Counted(Task.FromResult<byte[]?>(threeHundredKilobytes)), default);
        Assert.True(first!.Sendable!.TryLease(out _));
        first.Sendable.EndLease();

        await cache.GetAsync("live/s/240p/seg1.m4s", () => Counted(Task.FromResult<byte[]?>(threeHundredKilobytes)), default);

        Assert.False(first.Sendable.TryLease(out _));
    }

    private Task<byte[]?> Counted(Task<byte[]?> read)
    {
        Interlocked.Increment(ref reads);
        return read;
    }
}
