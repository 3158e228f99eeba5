using System.Net;
using System.Net.Http.Json;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Nio.Api.Retention;
using Nio.Api.Streams;
using Nio.Shared.Storage;
using Nio.TestSupport;

namespace Nio.Api.Tests.Retention;

/// <summary>The Transcoder's retention contract and the job that deletes from the Api's own (disk) media store.</summary>
public sealed class RetentionApiTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private IMediaStore Store => api.Services.GetRequiredService<IMediaStore>();

    [Fact]
    public async Task Every_route_needs_the_internal_secret()
    {
        var (_, stream) = await api.CreateStreamAsync();
        var stranger = api.InternalClientWithToken("wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync($"/api/transcoder/streams/{stream.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.PostAsJsonAsync($"/api/transcoder/streams/{stream.Id}/expired-media",
            new { paths = new[] { $"live/{stream.Id}/240p/x-seg0.m4s" } })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.PostAsync($"/api/transcoder/streams/{stream.Id}/recording", null)).StatusCode);
    }

    [Fact]
    public async Task The_transcoder_learns_whether_a_stream_is_recorded()
    {
        var (_, plain) = await api.CreateStreamAsync();
        var (_, recorded) = await api.CreateStreamAsync(record: true);

        Assert.False((await api.TranscoderClient().GetFromJsonAsync<StreamRetention>($"/api/transcoder/streams/{plain.Id}"))!.Record);
        Assert.True((await api.TranscoderClient().GetFromJsonAsync<StreamRetention>($"/api/transcoder/streams/{recorded.Id}"))!.Record);
        Assert.Equal(HttpStatusCode.NotFound, (await api.TranscoderClient().GetAsync($"/api/transcoder/streams/{Guid.NewGuid()}")).StatusCode);
    }

    [Theory]
    [InlineData("live/{other}/240p/x-seg0.m4s")]
    [InlineData("live/{id}/../{other}/240p/x-seg0.m4s")]
    [InlineData("recordings/{id}/240p.json")]
    [InlineData("live/{id}/240p/x seg0.m4s")]
    [InlineData("")]
    public async Task Only_media_paths_of_the_stream_itself_are_taken(string path)
    {
        var (_, stream) = await api.CreateStreamAsync();
        var paths = new[] { $"live/{stream.Id}/240p/x-seg1.m4s", path.Replace("{id}", stream.Id.ToString()).Replace("{other}", Guid.NewGuid().ToString()) };

        var response = await api.TranscoderClient().PostAsJsonAsync($"/api/transcoder/streams/{stream.Id}/expired-media", new { paths });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await ScheduledAsync(stream.Id));
    }

    [Fact]
    public async Task Empty_and_oversized_reports_are_refused()
    {
        var (_, stream) = await api.CreateStreamAsync();
        var tooMany = Enumerable.Range(0, RetentionApi.MaxPathsPerReport + 1).Select(i => $"live/{stream.Id}/240p/x-part{i}.m4s").ToArray();
        foreach (var paths in new[] { Array.Empty<string>(), tooMany })
        {
            var response = await api.TranscoderClient().PostAsJsonAsync($"/api/transcoder/streams/{stream.Id}/expired-media", new { paths });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
    }

    [Fact]
    public async Task The_job_deletes_files_after_their_grace_once_however_often_they_were_reported()
    {
        var (_, stream) = await api.CreateStreamAsync();
        var due = $"live/{stream.Id}/240p/x-seg0.m4s";
        var notDue = $"live/{stream.Id}/240p/x-seg1.m4s";
        await Store.WriteAsync(due, new byte[] { 1 }, "video/mp4", default);
        await Store.WriteAsync(notDue, new byte[] { 2 }, "video/mp4", default);
        await ReportAsync(stream.Id, [due, notDue], unlessLive: false);
        await ReportAsync(stream.Id, [due], unlessLive: false);
        await MakeDueAsync(due);

        await api.Services.GetRequiredService<MediaRetentionSweeper>().RunAsync(CancellationToken.None);

        Assert.Null(await Store.ReadAsync(due, default));
        Assert.NotNull(await Store.ReadAsync(notDue, default));
        Assert.Equal([notDue], await ScheduledAsync(stream.Id));
    }

    [Fact]
    public async Task A_file_the_store_cannot_delete_is_tried_again_later_and_holds_back_no_other()
    {
        var (_, stream) = await api.CreateStreamAsync();
        var stuck = $"live/{stream.Id}/240p/x-seg0.m4s";
        var others = Enumerable.Range(1, 3).Select(i => $"live/{stream.Id}/240p/x-seg{i}.m4s").ToArray();
        foreach (var path in others)
        {
            await Store.WriteAsync(path, new byte[] { 1 }, "video/mp4", default);
        }

        // A folder where the file should be: the disk store cannot delete it, as S3 cannot delete an object its policy protects.
        var stuckOnDisk = Path.Combine(api.Services.GetRequiredService<IConfiguration>()["DataDir"]!, "media", stuck);
        Directory.CreateDirectory(stuckOnDisk);
        await File.WriteAllTextAsync(Path.Combine(stuckOnDisk, "keep"), "");
        await ReportAsync(stream.Id, [stuck, .. others], unlessLive: false);
        foreach (var path in others)
        {
            await MakeDueAsync(path);
        }

        // First in line.
        await using (var connection = await api.Database.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("UPDATE expired_media SET due_at = now() - interval '1 minute' WHERE path = @stuck", new { stuck });
        }

        var deleted = await api.Services.GetRequiredService<MediaRetentionSweeper>().RunAsync(CancellationToken.None);

        Assert.Equal(others.Length, deleted);
        foreach (var path in others)
        {
            Assert.Null(await Store.ReadAsync(path, default));
        }

        Assert.Equal([stuck], await ScheduledAsync(stream.Id));
        await using (var connection = await api.Database.OpenConnectionAsync())
        {
            Assert.True(await connection.ExecuteScalarAsync<bool>("SELECT due_at > now() + interval '5 minutes' FROM expired_media WHERE path = @stuck", new { stuck }),
                "the stuck file is not tried again at once");
        }

        Directory.Delete(stuckOnDisk, recursive: true);
    }

    [Fact]
    public async Task Playlists_a_new_broadcast_took_over_are_spared_while_the_stream_is_live()
    {
        var (_, stream) = await api.CreateStreamAsync();
        var playlist = $"live/{stream.Id}/240p/index.m3u8";
        await Store.WriteAsync(playlist, "#EXTM3U\n"u8.ToArray(), "application/vnd.apple.mpegurl", default);
        await ReportAsync(stream.Id, [playlist], unlessLive: true);
        await MakeDueAsync(playlist);
        await api.GoLiveAsync(stream);

        await api.Services.GetRequiredService<MediaRetentionSweeper>().RunAsync(CancellationToken.None);

        Assert.NotNull(await Store.ReadAsync(playlist, default));
        Assert.Empty(await ScheduledAsync(stream.Id));
    }

    [Fact]
    public async Task A_recorded_stream_shows_its_recording_url_once_the_transcoder_wrote_it()
    {
        var (_, recorded) = await api.CreateStreamAsync(record: true);
        Assert.Null((await api.CreateClient().GetFromJsonAsync<StreamView>($"/api/streams/{recorded.Id}"))!.RecordingUrl);

        Assert.Equal(HttpStatusCode.NoContent, (await api.TranscoderClient().PostAsync($"/api/transcoder/streams/{recorded.Id}/recording", null)).StatusCode);

        var view = (await api.CreateClient().GetFromJsonAsync<StreamView>($"/api/streams/{recorded.Id}"))!;
        Assert.Equal(recorded.PlaybackUrl.Replace("master.m3u8", "recording.m3u8"), view.RecordingUrl);
    }

    [Fact]
    public async Task An_unrecorded_stream_never_gets_a_recording_url()
    {
        var (_, plain) = await api.CreateStreamAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await api.TranscoderClient().PostAsync($"/api/transcoder/streams/{plain.Id}/recording", null)).StatusCode);
        Assert.Null((await api.CreateClient().GetFromJsonAsync<StreamView>($"/api/streams/{plain.Id}"))!.RecordingUrl);
    }

    private async Task ReportAsync(Guid streamId, string[] paths, bool unlessLive)
    {
        var response = await api.TranscoderClient().PostAsJsonAsync($"/api/transcoder/streams/{streamId}/expired-media", new { paths, unlessLive });
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    /// <summary>Lets the grace of one file pass.</summary>
    private async Task MakeDueAsync(string path)
    {
        await using var connection = await api.Database.OpenConnectionAsync();
        await connection.ExecuteAsync("UPDATE expired_media SET due_at = now() - interval '1 second' WHERE path = @path", new { path });
    }

    private async Task<List<string>> ScheduledAsync(Guid streamId)
    {
        await using var connection = await api.Database.OpenConnectionAsync();
        return (await connection.QueryAsync<string>("SELECT path FROM expired_media WHERE stream_id = @streamId ORDER BY path", new { streamId })).AsList();
    }
}
