using System.Net;
using System.Net.Http.Json;
using Nio.Api.Auth;
using Nio.Api.Streams;
using Nio.TestSupport;

namespace Nio.Api.Tests.Users;

/// <summary>
/// Names and titles other people read: characters that draw nothing but reverse or hide text ("Ann\u202Egnp.exe"
/// shows as "Annexe.png") are refused with a field error; emoji built with joiners are kept.
/// </summary>
public sealed class InvisibleTextTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData("Ann\u202Egnp.exe", "U+202E")]
    [InlineData("\u2066admin\u2069", "U+2066")]
    [InlineData("ad\u200Bmin", "U+200B")]
    [InlineData("ad\u200Cmin", "U+200C")]
    [InlineData("\u200Fadmin", "U+200F")]
    [InlineData("\uFEFFadmin", "U+FEFF")]
    public async Task A_display_name_with_an_invisible_formatting_character_is_refused_at_registration(string displayName, string named)
    {
        var response = await api.ClientWithToken(null).PostAsJsonAsync("/api/auth/register",
            new { email = $"hidden-{Guid.NewGuid():N}@example.com", password = "password-123", displayName });

        var messages = await response.AssertFieldErrorAsync("displayName");
        Assert.Contains(messages, m => m.Contains(named, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("👩\u200D💻 Ann")]
    [InlineData("👨\u200D👩\u200D👧\u200D👦")]
    [InlineData("🏳\uFE0F\u200D🌈 Bo")]
    [InlineData("می\u200Cخواهم")]
    public async Task Emoji_and_scripts_that_need_a_joiner_are_kept(string displayName)
    {
        var response = await api.ClientWithToken(null).PostAsJsonAsync("/api/auth/register",
            new { email = $"joined-{Guid.NewGuid():N}@example.com", password = "password-123", displayName });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(displayName, (await response.Content.ReadFromJsonAsync<AuthResponse>())!.User.DisplayName);
    }

    [Fact]
    public async Task A_profile_keeps_its_name_and_bio_when_the_new_ones_hide_characters()
    {
        var user = await api.RegisterAsync("Cy");
        var client = api.ClientWithToken(user.AccessToken);

        var name = await client.PatchAsJsonAsync("/api/users/me", new { displayName = "Cy\u2067" });
        Assert.Contains("U+2067", (await name.AssertFieldErrorAsync("displayName"))[0]);
        var bio = await client.PatchAsJsonAsync("/api/users/me", new { bio = "hello\u202Ddlrow" });
        Assert.Contains("U+202D", (await bio.AssertFieldErrorAsync("bio"))[0]);

        var me = (await client.GetFromJsonAsync<UserView>("/api/auth/me"))!;
        Assert.Equal("Cy", me.DisplayName);
        Assert.Equal("", me.Bio);
    }

    [Fact]
    public async Task A_stream_title_with_an_invisible_formatting_character_is_refused_on_create_and_update()
    {
        var (streamer, stream) = await api.CreateStreamAsync("Plain title");
        var client = api.ClientWithToken(streamer.AccessToken);

        var created = await client.PostAsJsonAsync("/api/streams", new { title = "Free coins\u202E" });
        Assert.Contains("U+202E", (await created.AssertFieldErrorAsync("title"))[0]);
        var updated = await client.PatchAsJsonAsync($"/api/streams/{stream.Id}", new { title = "Plain\u200Dtitle" });
        Assert.Contains("U+200D", (await updated.AssertFieldErrorAsync("title"))[0]);

        var kept = (await client.GetFromJsonAsync<StreamView>($"/api/streams/{stream.Id}"))!;
        Assert.Equal("Plain title", kept.Title);
    }
}
