using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Nio.Api.Streams;
using Nio.TestSupport;

namespace Nio.Api.Tests.Streams;

/// <summary><c>GET /api/streams/{id}/health</c>: the Ingest's latest report, to the streamer, an admin or a room moderator.</summary>
public sealed class StreamHealthApiTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly object Report = new
    {
        secondsSinceLastMedia = 0.2,
        video = new { codec = "H.264", profile = "High", level = "3.0", width = 640, height = 360, frameRate = 25.0, bitrateKbps = 812.5, keyframeIntervalSeconds = 2.0 },
        audio = new { codec = "AAC-LC", sampleRate = 48000, channels = 2, bitrateKbps = 128.0 },
    };

    [Fact]
    public async Task The_owner_gets_the_reported_health_in_the_documented_shape()
    {
        var (streamer, stream) = await api.CreateStreamAsync();
        await ReportAsync(stream, Report);

        var response = await api.ClientWithToken(streamer.AccessToken).GetAsync($"/api/streams/{stream.Id}/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var health = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(
            ["streamId", "live", "reportedAt", "secondsSinceLastMedia", "video", "audio", "glassToGlassEstimateSeconds", "warnings", "sourceReencoded"],
            health.EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            ["codec", "profile", "level", "width", "height", "frameRate", "bitrateKbps", "keyframeIntervalSeconds"],
            health.GetProperty("video").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["codec", "sampleRate", "channels", "bitrateKbps"], health.GetProperty("audio").EnumerateObject().Select(p => p.Name));
        Assert.Equal(stream.Id, health.GetProperty("streamId").GetGuid());
        Assert.True(health.GetProperty("live").GetBoolean());
        Assert.InRange(DateTime.UtcNow - health.GetProperty("reportedAt").GetDateTime().ToUniversalTime(), TimeSpan.FromSeconds(-5), TimeSpan.FromSeconds(30));
        Assert.InRange(health.GetProperty("secondsSinceLastMedia").GetDouble(), 0.2, 5);
        Assert.Equal(640, health.GetProperty("video").GetProperty("width").GetInt32());
        Assert.Equal("High", health.GetProperty("video").GetProperty("profile").GetString());
        Assert.Equal(48000, health.GetProperty("audio").GetProperty("sampleRate").GetInt32());
        // PART-HOLD-BACK 3 × 0.2 s (6 frames at the publisher's 30 fps) + half of the 2 s keyframe interval.
        Assert.Equal(1.6, health.GetProperty("glassToGlassEstimateSeconds").GetDouble());
        Assert.Equal(0, health.GetProperty("warnings").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, health.GetProperty("sourceReencoded").ValueKind);
    }

    [Fact]
    public async Task An_admin_and_a_moderator_of_the_room_may_look_a_stranger_may_not()
    {
        var (streamer, stream) = await api.CreateStreamAsync();
        await ReportAsync(stream, Report);
        var moderator = await api.RegisterAsync("Moderator");
        var stranger = await api.RegisterAsync("Stranger");
        await using (var connection = await api.Database.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                "INSERT INTO room_moderators (channel_id, user_id, appointed_by) VALUES (@owner, @moderator, @owner)",
                new { owner = streamer.User.Id, moderator = moderator.User.Id });
        }

        var path = $"/api/streams/{stream.Id}/health";
        Assert.Equal(HttpStatusCode.OK, (await api.ClientWithToken((await api.LoginAdminAsync()).AccessToken).GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.ClientWithToken(moderator.AccessToken).GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.ClientWithToken(stranger.AccessToken).GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.ClientWithToken(null).GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task An_unknown_stream_is_not_found()
    {
        var user = await api.RegisterAsync();

        var response = await api.ClientWithToken(user.AccessToken).GetAsync($"/api/streams/{Guid.NewGuid()}/health");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Before_any_report_an_offline_stream_has_nothing_to_show_and_no_warnings()
    {
        var (streamer, stream) = await api.CreateStreamAsync();

        var health = await api.ClientWithToken(streamer.AccessToken).GetFromJsonAsync<JsonElement>($"/api/streams/{stream.Id}/health");

        Assert.False(health.GetProperty("live").GetBoolean());
        foreach (var name in new[] { "reportedAt", "secondsSinceLastMedia", "video", "audio", "glassToGlassEstimateSeconds" })
        {
            Assert.Equal(JsonValueKind.Null, health.GetProperty(name).ValueKind);
        }

        Assert.Equal(0, health.GetProperty("warnings").GetArrayLength());
    }

    [Fact]
    public async Task A_heartbeat_the_api_refuses_stores_no_health()
    {
        var (streamer, stream) = await api.CreateStreamAsync();

        var refused = await api.IngestClient().PostAsJsonAsync($"/api/ingest/streams/{stream.Id}/live",
            new { streamKey = "nio_" + new string('x', 43), health = Report });

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode); // a key that is not this stream's
        var health = await api.ClientWithToken(streamer.AccessToken).GetFromJsonAsync<JsonElement>($"/api/streams/{stream.Id}/health");
        Assert.Equal(JsonValueKind.Null, health.GetProperty("reportedAt").ValueKind);
    }

    [Fact]
    public async Task A_heartbeat_without_health_still_works_and_keeps_the_last_report()
    {
        var (streamer, stream) = await api.CreateStreamAsync();
        await ReportAsync(stream, Report);
        await api.GoLiveAsync(stream);

        var health = await api.ClientWithToken(streamer.AccessToken).GetFromJsonAsync<JsonElement>($"/api/streams/{stream.Id}/health");

        Assert.Equal("H.264", health.GetProperty("video").GetProperty("codec").GetString());
    }

    [Fact]
    public async Task A_report_without_audio_or_with_long_gops_warns()
    {
        var (streamer, stream) = await api.CreateStreamAsync();
        await ReportAsync(stream, new
        {
            secondsSinceLastMedia = 0.1,
            video = new { codec = "H.264", profile = "Main", level = "3.1", width = 1280, height = 720, frameRate = 30.0, bitrateKbps = 2500.0, keyframeIntervalSeconds = 5.0 },
        });

        var health = await api.ClientWithToken(streamer.AccessToken).GetFromJsonAsync<JsonElement>($"/api/streams/{stream.Id}/health");

        Assert.Equal([StreamHealth.KeyframeIntervalTooLong, StreamHealth.NoAudio], health.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()));
        Assert.Equal(JsonValueKind.Null, health.GetProperty("audio").ValueKind);
        // PART-HOLD-BACK 3 × 0.2 s (6 frames at 30 fps) + half of the 5 s keyframe interval.
        Assert.Equal(3.1, health.GetProperty("glassToGlassEstimateSeconds").GetDouble());
    }

    private async Task ReportAsync(StreamCredentials stream, object health)
    {
        var response = await api.IngestClient().PostAsJsonAsync($"/api/ingest/streams/{stream.Id}/live", new { streamKey = stream.StreamKey, health });
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }
}
