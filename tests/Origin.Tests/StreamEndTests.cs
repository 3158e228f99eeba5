using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Nio.Origin.Live;

namespace Nio.Origin.Tests;

/// <summary>
/// What the Origin keeps of a stream once it ends: its playlists stay in memory a short while (one second here) for
/// the players still reloading them, then the stored copies answer, until retention deletes them with the media. A
/// playlist no update reaches any more (its Transcoder went away) leaves memory as well.
/// </summary>
public sealed class StreamEndTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task An_ended_playlist_leaves_memory_and_its_stored_copy_answers_after()
    {
        await using var origin = await StartAsync(endedSeconds: 1, idleSeconds: 60);
        var streamId = Guid.NewGuid();
        var publisher = new RenditionPublisher(origin, streamId);
        await publisher.AppendPartAsync(independent: true, bytes: [0]);
        await publisher.EndAsync();
        Assert.EndsWith("#EXT-X-ENDLIST\n", await origin.Http.GetStringAsync($"/live/{streamId}/240p/index.m3u8"));
        Assert.Equal(0, origin.Store.ReadsOf(publisher.PlaylistPath));

        await WaitUntilAsync(() => Edge(origin).Current(publisher.PlaylistPath) is null, "The ended playlist stayed in memory.");

        Assert.EndsWith("#EXT-X-ENDLIST\n", await origin.Http.GetStringAsync($"/live/{streamId}/240p/index.m3u8"));
        Assert.Equal(1, origin.Store.ReadsOf(publisher.PlaylistPath));
    }

    [Fact]
    public async Task Once_retention_deleted_an_ended_broadcast_its_playlist_is_404()
    {
        await using var origin = await StartAsync(endedSeconds: 1, idleSeconds: 60);
        var streamId = Guid.NewGuid();
        var publisher = new RenditionPublisher(origin, streamId);
        for (var part = 0; part < 12; part++)
        {
            await publisher.AppendPartAsync(independent: part % 5 == 0, bytes: [(byte)part]);
        }

        await publisher.EndAsync();

        // What the Api's retention job does after its grace: the broadcast's media, then the playlists that named them.
        foreach (var path in publisher.Media.Append(publisher.PlaylistPath))
        {
            await origin.Store.DeleteAsync(path, default);
        }

        await WaitUntilAsync(
            async () => (await origin.Http.GetAsync($"/live/{streamId}/240p/index.m3u8")).StatusCode == HttpStatusCode.NotFound,
            "The ended playlist is still served, naming media that retention deleted.");
    }

    [Fact]
    public async Task After_many_streams_start_and_end_memory_holds_only_the_live_ones()
    {
        await using var origin = await StartAsync(endedSeconds: 1, idleSeconds: 60);
        var live = new RenditionPublisher(origin, Guid.NewGuid());
        await live.AppendPartAsync(independent: true, bytes: [0]);
        using var stop = new CancellationTokenSource();
        var keepLive = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await live.AppendPartAsync(independent: false, bytes: [1]);
                await Task.Delay(200);
            }
        });

        for (var stream = 0; stream < 200; stream++)
        {
            var streamId = Guid.NewGuid();
            foreach (var rendition in new[] { "240p", "480p" })
            {
                var publisher = new RenditionPublisher(origin, streamId, rendition);
                await publisher.AppendPartAsync(independent: true, bytes: [0]);
                await publisher.AppendPartAsync(independent: false, bytes: [1]);
                await publisher.EndAsync();
            }
        }

        Assert.True(Edge(origin).Count > 1);
        await WaitUntilAsync(() => Edge(origin).Count == 1, "Ended streams stayed in memory.");
        Assert.NotNull(Edge(origin).Current(live.PlaylistPath));
        await stop.CancelAsync();
        await keepLive;
    }

    [Fact]
    public async Task A_playlist_no_update_reaches_any_more_leaves_memory_and_its_waiting_players_get_the_stored_copy()
    {
        // Left after one second, while the request below would wait three (three target durations) before a 503.
        await using var origin = await StartAsync(endedSeconds: 60, idleSeconds: 1);
        var streamId = Guid.NewGuid();
        var publisher = new RenditionPublisher(origin, streamId);
        await publisher.AppendPartAsync(independent: true, bytes: [0]);

        // Waits for a part that never comes: the Transcoder went away without ending the playlist.
        var response = await origin.Http.GetAsync($"/live/{streamId}/240p/index.m3u8?_HLS_msn=0&_HLS_part=2");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("part0.m4s", await response.Content.ReadAsStringAsync());
        Assert.Null(Edge(origin).Current(publisher.PlaylistPath));
    }

    private static Task<OriginUnderTest> StartAsync(int endedSeconds, int idleSeconds) => OriginUnderTest.StartAsync(new Dictionary<string, string?>
    {
        ["Origin:EndedPlaylistSeconds"] = endedSeconds.ToString(CultureInfo.InvariantCulture),
        ["Origin:IdlePlaylistSeconds"] = idleSeconds.ToString(CultureInfo.InvariantCulture),
    });

    private static LiveEdge Edge(OriginUnderTest origin) => origin.Services.GetRequiredService<LiveEdge>();

    private static Task WaitUntilAsync(Func<bool> condition, string failure) => WaitUntilAsync(() => Task.FromResult(condition()), failure);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string failure)
    {
        var until = DateTime.UtcNow + Deadline;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, failure);
            await Task.Delay(100);
        }
    }
}
