using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Nio.Api.Tests.Hosting;

namespace Nio.Api.Tests.Admin;

/// <summary>Platform bans from the admin Api, on an Api that also serves the web app (as <c>./nio up</c> runs it).</summary>
public sealed class AdminBanTests(WebAppTests.WebAppApiFactory api) : IClassFixture<WebAppTests.WebAppApiFactory>
{
    public static TheoryData<string, string?> BodiesWithoutJson => new()
    {
        { "none", null },
        // What `curl -X POST -d ''` and an empty HTML form send.
        { "empty form", "application/x-www-form-urlencoded" },
        { "empty JSON", "application/json" },
    };

    [Theory]
    [MemberData(nameof(BodiesWithoutJson))]
    public async Task A_ban_without_a_body_bans_the_user(string body, string? contentType)
    {
        var user = await api.RegisterAsync();
        var admin = await api.LoginAdminAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/admin/users/{user.User.Id}/ban");
        if (contentType is not null)
        {
            request.Content = new ByteArrayContent([]);
            request.Content.Headers.ContentType = new(contentType);
        }

        var ban = await api.ClientWithToken(admin.AccessToken).SendAsync(request);

        Assert.True(ban.StatusCode == HttpStatusCode.NoContent, $"{body}: {ban.StatusCode}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.ClientWithToken(user.AccessToken).GetAsync("/api/auth/me")).StatusCode);
        var detail = await api.ClientWithToken(admin.AccessToken).GetFromJsonAsync<JsonElement>($"/api/admin/users/{user.User.Id}");
        Assert.NotEqual(JsonValueKind.Null, detail.GetProperty("bannedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, detail.GetProperty("banReason").ValueKind);
    }
}
