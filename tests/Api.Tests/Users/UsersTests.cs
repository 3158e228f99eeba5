using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Nio.Api.Auth;
using Nio.Api.Http;
using Nio.TestSupport;
using Nio.Api.Users;

namespace Nio.Api.Tests.Users;

public sealed class UsersTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Profile_fields_change_only_when_sent_and_empty_clears()
    {
        var session = await api.RegisterAsync("Before");
        var client = api.ClientWithToken(session.AccessToken);

        var updated = await client.PatchAsJsonAsync("/api/users/me",
            new { displayName = "  After  ", bio = "line one\nline two", avatarUrl = "https://cdn.example.com/a.png" });
        var me = (await updated.Content.ReadFromJsonAsync<UserView>())!;
        Assert.Equal(("After", "line one\nline two", "https://cdn.example.com/a.png"), (me.DisplayName, me.Bio, me.AvatarUrl));

        var partial = await client.PatchAsJsonAsync("/api/users/me", new { bio = "" , avatarUrl = "" });
        me = (await partial.Content.ReadFromJsonAsync<UserView>())!;
        Assert.Equal(("After", "", null), (me.DisplayName, me.Bio, me.AvatarUrl));
    }

    public static TheoryData<string, object> InvalidUpdates => new()
    {
        { "displayName", new { displayName = "" } },
        { "displayName", new { displayName = new string('n', 51) } },
        { "bio", new { bio = new string('b', 501) } },
        { "bio", new { bio = "nul\u0000byte" } },
        { "avatarUrl", new { avatarUrl = "javascript:alert(1)" } },
        { "avatarUrl", new { avatarUrl = "/relative.png" } },
        { "avatarUrl", new { avatarUrl = "https://example.com/" + new string('a', 2048) } },
    };

    [Theory]
    [MemberData(nameof(InvalidUpdates))]
    public async Task Invalid_profile_updates_are_400_and_change_nothing(string field, object body)
    {
        var session = await api.RegisterAsync("Unchanged");
        var client = api.ClientWithToken(session.AccessToken);

        await (await client.PatchAsJsonAsync("/api/users/me", body)).AssertFieldErrorAsync(field);

        var me = await client.GetFromJsonAsync<UserView>("/api/auth/me");
        Assert.Equal(("Unchanged", "", null), (me!.DisplayName, me.Bio, me.AvatarUrl));
    }

    [Fact]
    public async Task Updating_a_profile_needs_a_token()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.CreateClient().PatchAsJsonAsync("/api/users/me", new { bio = "x" })).StatusCode);
    }

    [Fact]
    public async Task A_public_profile_never_shows_email_or_roles()
    {
        var session = await api.RegisterAsync("Public Person");

        var raw = await (await api.CreateClient().GetAsync($"/api/users/{session.User.Id}")).Content.ReadAsStringAsync();

        var names = JsonDocument.Parse(raw).RootElement.EnumerateObject().Select(p => p.Name).Order();
        Assert.Equal(new[] { "id", "displayName", "bio", "avatarUrl", "createdAt", "followerCount", "followingCount", "followedByMe", "live", "liveStreamId" }.Order(), names);
        Assert.DoesNotContain(session.User.Email, raw);
    }

    [Fact]
    public async Task Unknown_user_is_404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await api.CreateClient().GetAsync($"/api/users/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.CreateClient().GetAsync("/api/users/not-a-guid")).StatusCode);
    }

    [Fact]
    public async Task Follow_unfollow_and_list_whom_I_follow_page_by_page()
    {
        var fan = await api.RegisterAsync("Fan");
        var streamers = new List<AuthResponse>();
        for (var i = 0; i < 3; i++)
        {
            streamers.Add(await api.RegisterAsync($"Streamer {i}"));
        }

        var client = api.ClientWithToken(fan.AccessToken);
        foreach (var streamer in streamers)
        {
            Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsync($"/api/users/{streamer.User.Id}/follow", null)).StatusCode);
        }

        // Following twice is harmless.
        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsync($"/api/users/{streamers[0].User.Id}/follow", null)).StatusCode);

        var firstPage = await client.GetFromJsonAsync<Page<PublicProfile>>("/api/users/me/following?page=1&pageSize=2");
        var secondPage = await client.GetFromJsonAsync<Page<PublicProfile>>("/api/users/me/following?page=2&pageSize=2");
        Assert.Equal(3, firstPage!.TotalCount);
        Assert.Equal(2, firstPage.Items.Count);
        Assert.Single(secondPage!.Items);
        Assert.Equal(streamers.Select(s => s.User.Id).Order(), firstPage.Items.Concat(secondPage.Items).Select(p => p.Id).Order());

        var profile = await client.GetFromJsonAsync<PublicProfile>($"/api/users/{streamers[0].User.Id}");
        Assert.Equal(1, profile!.FollowerCount);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/users/{streamers[0].User.Id}/follow")).StatusCode);
        var afterUnfollow = await client.GetFromJsonAsync<Page<PublicProfile>>("/api/users/me/following");
        Assert.Equal(2, afterUnfollow!.TotalCount);
    }

    [Fact]
    public async Task Following_yourself_or_nobody_is_refused()
    {
        var fan = await api.RegisterAsync();
        var client = api.ClientWithToken(fan.AccessToken);

        await (await client.PutAsync($"/api/users/{fan.User.Id}/follow", null)).AssertFieldErrorAsync("id");
        Assert.Equal(HttpStatusCode.NotFound, (await client.PutAsync($"/api/users/{Guid.NewGuid()}/follow", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.CreateClient().PutAsync($"/api/users/{fan.User.Id}/follow", null)).StatusCode);
    }

    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=101", "pageSize")]
    public async Task Out_of_range_paging_is_400(string query, string field)
    {
        var fan = await api.RegisterAsync();
        await (await api.ClientWithToken(fan.AccessToken).GetAsync($"/api/users/me/following?{query}")).AssertFieldErrorAsync(field);
    }

    [Fact]
    public async Task Non_numeric_paging_is_400()
    {
        var response = await api.CreateClient().GetAsync("/api/streams?page=abc");
        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }
}
