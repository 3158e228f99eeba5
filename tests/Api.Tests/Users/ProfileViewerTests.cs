using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Nio.TestSupport;

namespace Nio.Api.Tests.Users;

/// <summary>A profile as its viewer sees it: whether they follow, and whether the user is live now.</summary>
public sealed class ProfileViewerTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task A_profile_says_whether_i_follow_and_false_when_anonymous_or_with_a_bad_token()
    {
        var viewer = await api.RegisterAsync();
        var other = await api.RegisterAsync("Other");
        var client = api.ClientWithToken(viewer.AccessToken);
        (await client.PutAsync($"/api/users/{other.User.Id}/follow", null)).EnsureSuccessStatusCode();

        var mine = await client.GetFromJsonAsync<JsonElement>($"/api/users/{other.User.Id}");
        var anonymous = await api.ClientWithToken(null).GetFromJsonAsync<JsonElement>($"/api/users/{other.User.Id}");
        var badToken = await api.ClientWithToken("not.a.token").GetAsync($"/api/users/{other.User.Id}");

        Assert.True(mine.GetProperty("followedByMe").GetBoolean());
        Assert.Equal(1, mine.GetProperty("followerCount").GetInt64());
        Assert.False(anonymous.GetProperty("followedByMe").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, badToken.StatusCode);
        Assert.False((await badToken.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("followedByMe").GetBoolean());

        (await client.DeleteAsync($"/api/users/{other.User.Id}/follow")).EnsureSuccessStatusCode();
        Assert.False((await client.GetFromJsonAsync<JsonElement>($"/api/users/{other.User.Id}")).GetProperty("followedByMe").GetBoolean());
    }

    [Fact]
    public async Task A_profile_says_whether_the_user_is_live_and_on_which_stream()
    {
        var (streamer, stream) = await api.CreateStreamAsync();
        var anonymous = api.ClientWithToken(null);

        var offline = await anonymous.GetFromJsonAsync<JsonElement>($"/api/users/{streamer.User.Id}");
        Assert.False(offline.GetProperty("live").GetBoolean());
        Assert.Equal(JsonValueKind.Null, offline.GetProperty("liveStreamId").ValueKind);

        await api.GoLiveAsync(stream);
        var live = await anonymous.GetFromJsonAsync<JsonElement>($"/api/users/{streamer.User.Id}");
        Assert.True(live.GetProperty("live").GetBoolean());
        Assert.Equal(stream.Id, live.GetProperty("liveStreamId").GetGuid());
    }

    [Fact]
    public async Task The_people_i_follow_come_with_followed_by_me_and_whether_they_are_live()
    {
        var viewer = await api.RegisterAsync();
        var (streamer, stream) = await api.CreateStreamAsync();
        await api.GoLiveAsync(stream);
        var client = api.ClientWithToken(viewer.AccessToken);
        (await client.PutAsync($"/api/users/{streamer.User.Id}/follow", null)).EnsureSuccessStatusCode();

        var page = await client.GetFromJsonAsync<JsonElement>("/api/users/me/following");

        var followed = page.GetProperty("items")[0];
        Assert.True(followed.GetProperty("followedByMe").GetBoolean());
        Assert.True(followed.GetProperty("live").GetBoolean());
        Assert.Equal(stream.Id, followed.GetProperty("liveStreamId").GetGuid());
    }
}
