using System.Net;

namespace Nio.Origin.Tests;

/// <summary>
/// Names the store does not have are asked for again and again (players and CDNs retrying, a stream that ended and
/// was deleted, parts asked for ahead of the live edge); the Origin reads the store for them once in a while, not
/// once a request, and serves each file as soon as the update that names it arrives. The misses here are remembered
/// for a minute, so only an update can make a file appear sooner.
/// </summary>
public sealed class MissingFileTests : IAsyncLifetime
{
    private readonly Guid streamId = Guid.NewGuid();
    private OriginUnderTest origin = null!;
    private RenditionPublisher publisher = null!;

    public async Task InitializeAsync()
    {
        origin = await OriginUnderTest.StartAsync(new Dictionary<string, string?> { ["Origin:MissCacheSeconds"] = "60", ["Origin:MissCacheEntries"] = "3" });
        publisher = new RenditionPublisher(origin, streamId);
    }

    public async Task DisposeAsync() => await origin.DisposeAsync();

    [Theory]
    [InlineData("240p/b1-part7.m4s")]
    [InlineData("240p/init.mp4")]
    [InlineData("240p/index.m3u8")]
    [InlineData("master.m3u8")]
    [InlineData("thumbnail.jpg")]
    public async Task A_file_that_does_not_exist_costs_one_store_read_however_often_it_is_asked_for(string file)
    {
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await origin.Http.GetAsync($"/live/{streamId}/{file}")).StatusCode);
        }

        Assert.Equal(1, origin.Store.ReadsOf($"live/{streamId}/{file}"));
    }

    [Fact]
    public async Task A_part_asked_for_ahead_of_the_live_edge_is_served_once_an_update_names_it()
    {
        await publisher.AppendPartAsync(independent: true, bytes: [0]);
        // The playlist hints at part1; part3 is further ahead, and not there yet.
        Assert.Equal(HttpStatusCode.NotFound, (await origin.Http.GetAsync($"/live/{streamId}/240p/part3.m4s")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await origin.Http.GetAsync($"/live/{streamId}/240p/part3.m4s")).StatusCode);
        Assert.Equal(1, origin.Store.ReadsOf($"{publisher.Folder}/part3.m4s"));

        await publisher.AppendPartAsync(independent: false, bytes: [1]);
        await publisher.AppendPartAsync(independent: false, bytes: [2]);
        await publisher.AppendPartAsync(independent: false, bytes: [3, 3]);

        Assert.Equal([3, 3], await origin.Http.GetByteArrayAsync($"/live/{streamId}/240p/part3.m4s"));
    }

    [Fact]
    public async Task A_preload_hinted_part_that_comes_after_its_wait_ran_out_is_served_when_it_comes()
    {
        await publisher.AppendPartAsync(independent: true, bytes: [0]);
        // Held for three part targets, then 404: the Transcoder is late.
        Assert.Equal(HttpStatusCode.NotFound, (await origin.Http.GetAsync($"/live/{streamId}/240p/part1.m4s")).StatusCode);

        await publisher.AppendPartAsync(independent: false, bytes: [1, 1]);

        Assert.Equal([1, 1], await origin.Http.GetByteArrayAsync($"/live/{streamId}/240p/part1.m4s"));
    }

    [Fact]
    public async Task A_file_a_live_stream_stores_beside_its_playlists_is_served_from_the_streams_next_update()
    {
        await publisher.AppendPartAsync(independent: true, bytes: [0]);
        Assert.Equal(HttpStatusCode.NotFound, (await origin.Http.GetAsync($"/live/{streamId}/master.m3u8")).StatusCode);

        // The Transcoder writes the multivariant playlist once every rendition has a segment, then goes on pushing.
        await origin.Store.WriteAsync($"live/{streamId}/master.m3u8", "#EXTM3U\n"u8.ToArray(), "application/vnd.apple.mpegurl", default);
        Assert.Equal(HttpStatusCode.NotFound, (await origin.Http.GetAsync($"/live/{streamId}/master.m3u8")).StatusCode);
        await publisher.AppendPartAsync(independent: false, bytes: [1]);

        Assert.Equal("#EXTM3U\n", await origin.Http.GetStringAsync($"/live/{streamId}/master.m3u8"));
    }

    [Fact]
    public async Task Past_its_bound_the_oldest_missing_names_are_forgotten_first()
    {
        // The bound here is three names.
        foreach (var part in new[] { 1, 2, 3, 4, 1, 4 })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await origin.Http.GetAsync($"/live/{streamId}/240p/b1-part{part}.m4s")).StatusCode);
        }

        Assert.Equal(2, origin.Store.ReadsOf($"live/{streamId}/240p/b1-part1.m4s"));
        Assert.Equal(1, origin.Store.ReadsOf($"live/{streamId}/240p/b1-part4.m4s"));
    }
}
