using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Nio.Api.Auth;
using Nio.TestSupport;

namespace Nio.Api.Tests.Admin;

/// <summary>The operators' Api: who may call what (as the database says), and what the money-moving routes do.</summary>
public sealed class AdminApiTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly Guid Nobody = Guid.Parse("00000000-0000-0000-0000-00000000f00d");

    public static TheoryData<string, string, bool> Routes => new()
    {
        // method, path, whether a moderator may call it (admins may call all)
        { "GET", "/api/admin/me", true },
        { "GET", "/api/admin/users?q=someone", true },
        { "GET", $"/api/admin/users/{Nobody}", true },
        { "GET", $"/api/admin/users/{Nobody}/messages", true },
        { "GET", $"/api/admin/users/{Nobody}/audit", true },
        { "POST", $"/api/admin/users/{Nobody}/ban", true },
        { "DELETE", $"/api/admin/users/{Nobody}/ban", true },
        { "GET", "/api/admin/streams?status=live", true },
        { "POST", $"/api/admin/streams/{Nobody}/end", true },
        { "GET", $"/api/admin/streams/{Nobody}/health", true },
        { "GET", "/api/admin/chat/messages?word=hello", true },
        { "DELETE", "/api/admin/chat/messages/999999999", true },
        { "GET", "/api/admin/chat/blocked-words", true },
        { "GET", "/api/admin/health", true },
        { "GET", "/api/admin/dashboard", false },
        { "GET", $"/api/admin/users/{Nobody}/wallet/history", false },
        { "POST", $"/api/admin/users/{Nobody}/sessions/revoke", false },
        { "PUT", $"/api/admin/users/{Nobody}/roles", false },
        { "POST", $"/api/admin/users/{Nobody}/coins", false },
        { "GET", "/api/admin/ledger", false },
        { "GET", "/api/admin/payments", false },
        { "GET", "/api/admin/payments/disputes", false },
        { "GET", "/api/admin/payments/flagged", false },
        { "GET", "/api/admin/withdrawals", false },
        { "POST", $"/api/admin/withdrawals/{Nobody}/approve", false },
        { "GET", "/api/admin/gifts", false },
        { "PATCH", "/api/admin/gifts/no-such-gift", false },
        { "POST", "/api/admin/gifts/artwork", false },
        { "GET", "/api/admin/audit?action=user.", false },
        { "GET", "/api/admin/audit/export", false },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Every_admin_route_answers_only_the_roles_it_names(string method, string path, bool moderatorMay)
    {
        var user = await api.RegisterAsync();
        var moderator = await StaffAsync("moderator");
        var admin = await api.LoginAdminAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(null, method, path)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(user.AccessToken, method, path)).StatusCode);
        var asModerator = await SendAsync(moderator.AccessToken, method, path);
        if (moderatorMay)
        {
            Assert.NotEqual(HttpStatusCode.Forbidden, asModerator.StatusCode);
            Assert.NotEqual(HttpStatusCode.Unauthorized, asModerator.StatusCode);
        }
        else
        {
            Assert.Equal(HttpStatusCode.Forbidden, asModerator.StatusCode);
        }

        var asAdmin = await SendAsync(admin.AccessToken, method, path);
        Assert.True(asAdmin.StatusCode is not (HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized or HttpStatusCode.InternalServerError),
            $"{method} {path} as admin: {asAdmin.StatusCode} {await asAdmin.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task A_role_revoked_in_the_database_is_refused_at_once_and_ends_the_sessions()
    {
        var moderator = await StaffAsync("moderator");
        var client = api.ClientWithToken(moderator.AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/admin/users")).StatusCode);

        var revoke = await Admin().PutAsJsonAsync($"/api/admin/users/{moderator.User.Id}/roles", new { roles = Array.Empty<string>(), reason = "stepped down" });
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);

        // The same, still unexpired access token: its role claim says moderator, the database no longer does.
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/admin/users")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await api.ClientWithToken(null).PostAsJsonAsync("/api/auth/refresh", new { refreshToken = moderator.RefreshToken })).StatusCode);
        var audit = await Admin().GetFromJsonAsync<JsonElement>($"/api/admin/audit?action=user.roles&targetId={moderator.User.Id}");
        // Newest first: the revocation, then the grant that made them a moderator.
        var entry = audit.GetProperty("items")[0];
        Assert.Equal(2, audit.GetProperty("totalCount").GetInt64());
        Assert.Equal("stepped down", entry.GetProperty("reason").GetString());
        Assert.Contains("moderator", entry.GetProperty("before").GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.DoesNotContain("moderator", entry.GetProperty("after").GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task A_demoted_admin_can_no_longer_end_or_rename_another_streamers_stream()
    {
        var (_, stream) = await api.CreateStreamAsync();
        var formerAdmin = await StaffAsync("admin");
        (await Admin().PutAsJsonAsync($"/api/admin/users/{formerAdmin.User.Id}/roles", new { roles = Array.Empty<string>(), reason = "left" })).EnsureSuccessStatusCode();

        // Its access token still says admin; the database no longer does.
        var client = api.ClientWithToken(formerAdmin.AccessToken);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync($"/api/streams/{stream.Id}/end", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PatchAsJsonAsync($"/api/streams/{stream.Id}", new { title = "taken over" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/api/streams/{stream.Id}/health")).StatusCode);
    }

    [Fact]
    public async Task A_moderator_may_not_ban_an_admin_nor_see_money()
    {
        var moderator = await StaffAsync("moderator");
        var admin = await api.LoginAdminAsync();
        var client = api.ClientWithToken(moderator.AccessToken);

        await (await client.PostAsync($"/api/admin/users/{admin.User.Id}/ban", null)).AssertProblemAsync(HttpStatusCode.Forbidden);
        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/admin/users/{admin.User.Id}");
        Assert.Equal(JsonValueKind.Null, detail.GetProperty("wallet").ValueKind);
        Assert.Equal(JsonValueKind.Null, detail.GetProperty("bannedAt").ValueKind);
    }

    [Fact]
    public async Task Granted_coins_show_in_the_wallet_the_books_and_the_audit_log_with_before_and_after()
    {
        var user = await api.RegisterAsync();
        var grant = await Admin().PostAsJsonAsync($"/api/admin/users/{user.User.Id}/coins",
            new { amount = 500, reason = "Goodwill, \"sorry\"", idempotencyKey = Guid.NewGuid().ToString() });
        Assert.Equal(HttpStatusCode.Created, grant.StatusCode);

        var detail = await Admin().GetFromJsonAsync<JsonElement>($"/api/admin/users/{user.User.Id}");
        Assert.Equal(500, detail.GetProperty("wallet").GetProperty("coins").GetInt64());
        var found = await Admin().GetFromJsonAsync<JsonElement>($"/api/admin/users?q={Uri.EscapeDataString(user.User.Email.ToUpperInvariant())}");
        Assert.Equal(user.User.Id, Assert.Single(found.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        var books = await Admin().GetFromJsonAsync<JsonElement>("/api/admin/ledger");
        Assert.True(books.GetProperty("balanced").GetBoolean());
        Assert.Equal(0, books.GetProperty("sum").GetInt64());

        var audit = await Admin().GetFromJsonAsync<JsonElement>($"/api/admin/users/{user.User.Id}/audit");
        var entry = Assert.Single(audit.GetProperty("items").EnumerateArray());
        Assert.Equal("user.coins.adjust", entry.GetProperty("action").GetString());
        Assert.Equal(0, entry.GetProperty("before").GetProperty("coins").GetInt64());
        Assert.Equal(500, entry.GetProperty("after").GetProperty("coins").GetInt64());
        var csv = await Admin().GetStringAsync($"/api/admin/audit/export?targetId={user.User.Id}");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains("user.coins.adjust", lines[1]);
        Assert.Contains("\"Goodwill, \"\"sorry\"\"\"", lines[1]);
    }

    [Fact]
    public async Task A_disabled_gift_leaves_the_catalog_and_cannot_be_sent()
    {
        var (_, stream) = await api.CreateStreamAsync();
        await api.GoLiveAsync(stream);
        var fan = await api.RegisterAsync();
        await GrantAsync(fan.User.Id, 100);

        var off = await Admin().PatchAsJsonAsync("/api/admin/gifts/rose", new { enabled = false, reason = "seasonal" });
        Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        try
        {
            var catalog = await api.ClientWithToken(null).GetFromJsonAsync<JsonElement>("/api/payments/gifts");
            Assert.DoesNotContain("rose", catalog.EnumerateArray().Select(g => g.GetProperty("id").GetString()));
            var refused = await api.ClientWithToken(fan.AccessToken).PostAsJsonAsync($"/api/streams/{stream.Id}/gifts",
                new { giftId = "rose", count = 1, idempotencyKey = Guid.NewGuid().ToString() });
            await refused.AssertFieldErrorAsync("giftId");
            var all = await Admin().GetFromJsonAsync<JsonElement>("/api/admin/gifts");
            Assert.False(all.EnumerateArray().Single(g => g.GetProperty("id").GetString() == "rose").GetProperty("enabled").GetBoolean());
        }
        finally
        {
            (await Admin().PatchAsJsonAsync("/api/admin/gifts/rose", new { enabled = true })).EnsureSuccessStatusCode();
        }

        var sent = await api.ClientWithToken(fan.AccessToken).PostAsJsonAsync($"/api/streams/{stream.Id}/gifts",
            new { giftId = "rose", count = 1, idempotencyKey = Guid.NewGuid().ToString() });
        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        var audit = await Admin().GetFromJsonAsync<JsonElement>("/api/admin/audit?action=gift.update&targetId=rose");
        Assert.Equal(2, audit.GetProperty("totalCount").GetInt64());
    }

    [Fact]
    public async Task Uploaded_artwork_set_on_a_gift_reaches_the_public_catalog_and_is_served_for_good()
    {
        var file = Path.Combine(Path.GetTempPath(), $"nio-artwork-{Guid.NewGuid():N}.png");
        var (exitCode, _, error) = await TestHost.RunAsync("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x240", "-frames:v", "1", "-y", file]);
        Assert.True(exitCode == 0, error);
        var png = await File.ReadAllBytesAsync(file);
        File.Delete(file);
        var content = new ByteArrayContent(png);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/png");
        var uploaded = await Admin().PostAsync("/api/admin/gifts/artwork", content);
        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        var path = (await uploaded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("artworkPath").GetString()!;
        Assert.Matches("^/api/gifts/artwork/[0-9a-f]{64}\\.webp$", path);

        var set = await Admin().PatchAsJsonAsync("/api/admin/gifts/heart", new { artworkPath = path, reason = "new heart" });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        try
        {
            var catalog = await api.ClientWithToken(null).GetFromJsonAsync<JsonElement>("/api/payments/gifts");
            Assert.Equal(path, catalog.EnumerateArray().Single(g => g.GetProperty("id").GetString() == "heart").GetProperty("artworkPath").GetString());
            var picture = await api.ClientWithToken(null).GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, picture.StatusCode);
            Assert.Equal("image/webp", picture.Content.Headers.ContentType?.MediaType);
            Assert.Contains("immutable", picture.Headers.CacheControl?.ToString());
            var audit = await Admin().GetFromJsonAsync<JsonElement>("/api/admin/audit?action=gift.update&targetId=heart");
            var entry = audit.GetProperty("items")[0];
            Assert.Equal("new heart", entry.GetProperty("reason").GetString());
            Assert.Equal(path, entry.GetProperty("after").GetProperty("artworkPath").GetString());
        }
        finally
        {
            (await Admin().PatchAsJsonAsync("/api/admin/gifts/heart", new { artworkPath = "" })).EnsureSuccessStatusCode();
        }

        // Pictures from other sites are refused: the web app's pages show pictures from their own site only.
        foreach (var elsewhere in new[] { "https://pictures.example/heart.webp", "//pictures.example/heart.webp" })
        {
            var refused = await Admin().PatchAsJsonAsync("/api/admin/gifts/heart", new { artworkPath = elsewhere });
            await refused.AssertFieldErrorAsync("artworkPath");
        }

        var notPicture = new ByteArrayContent("not a picture"u8.ToArray());
        notPicture.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/png");
        Assert.Equal(HttpStatusCode.BadRequest, (await Admin().PostAsync("/api/admin/gifts/artwork", notPicture)).StatusCode);
    }

    [Fact]
    public async Task Ten_admins_approving_one_withdrawal_at_once_pay_it_out_once()
    {
        var (streamer, stream) = await api.CreateStreamAsync();
        await api.GoLiveAsync(stream);
        var fan = await api.RegisterAsync();
        await GrantAsync(fan.User.Id, 2000);
        for (var i = 0; i < 2; i++)
        {
            (await api.ClientWithToken(fan.AccessToken).PostAsJsonAsync($"/api/streams/{stream.Id}/gifts",
                new { giftId = "fire", count = 1, idempotencyKey = Guid.NewGuid().ToString() })).EnsureSuccessStatusCode();
        }

        var withdrawal = await (await api.ClientWithToken(streamer.AccessToken).PostAsJsonAsync("/api/wallet/withdrawals",
            new { beans = 1000, idempotencyKey = Guid.NewGuid().ToString() })).Content.ReadFromJsonAsync<JsonElement>();
        var id = withdrawal.GetProperty("id").GetGuid();
        var queue = await Admin().GetFromJsonAsync<JsonElement>("/api/admin/withdrawals?status=pending");
        Assert.Contains(id, queue.GetProperty("items").EnumerateArray().Select(w => w.GetProperty("id").GetGuid()));
        await (await Admin().PostAsJsonAsync($"/api/admin/withdrawals/{id}/approve", new { note = "no reference" })).AssertFieldErrorAsync("payoutReference");

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            Admin().PostAsJsonAsync($"/api/admin/withdrawals/{id}/approve", new { payoutReference = $"transfer-{i}" })));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        Assert.Equal(9, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        var books = await Admin().GetFromJsonAsync<JsonElement>("/api/admin/ledger");
        Assert.True(books.GetProperty("balanced").GetBoolean());
        var decided = await Admin().GetFromJsonAsync<JsonElement>("/api/admin/withdrawals?status=approved");
        var row = decided.GetProperty("items").EnumerateArray().Single(w => w.GetProperty("id").GetGuid() == id);
        Assert.StartsWith("transfer-", row.GetProperty("payoutReference").GetString());
        await LedgerAssertions.AssertBalancedAsync(api.Database);
    }

    [Fact]
    public async Task The_dashboard_counts_todays_sign_ups_and_purchases_live()
    {
        var before = await Admin().GetFromJsonAsync<JsonElement>("/api/admin/dashboard");
        await api.RegisterAsync();
        await api.RegisterAsync();

        var after = await Admin().GetFromJsonAsync<JsonElement>("/api/admin/dashboard");

        Assert.Equal(before.GetProperty("today").GetProperty("signUps").GetInt64() + 2, after.GetProperty("today").GetProperty("signUps").GetInt64());
        var days = after.GetProperty("days").EnumerateArray().ToList();
        Assert.Equal(30, days.Count);
        Assert.Equal(after.GetProperty("today").GetProperty("signUps").GetInt64(), days[^1].GetProperty("signUps").GetInt64());
        Assert.Equal(after.GetProperty("last30Days").GetProperty("signUps").GetInt64(), days.Sum(d => d.GetProperty("signUps").GetInt64()));
    }

    private HttpClient Admin() => api.ClientWithToken(api.LoginAdminAsync().GetAwaiter().GetResult().AccessToken);

    private async Task GrantAsync(Guid userId, long coins) =>
        (await Admin().PostAsJsonAsync($"/api/admin/users/{userId}/coins", new { amount = coins, reason = "test", idempotencyKey = Guid.NewGuid().ToString() }))
        .EnsureSuccessStatusCode();

    /// <summary>A new user given <paramref name="role"/> by the admin, signed in afterwards.</summary>
    private async Task<AuthResponse> StaffAsync(string role)
    {
        var user = await api.RegisterAsync();
        (await Admin().PutAsJsonAsync($"/api/admin/users/{user.User.Id}/roles", new { roles = new[] { role } })).EnsureSuccessStatusCode();
        var login = await api.ClientWithToken(null).PostAsJsonAsync("/api/auth/login", new { email = user.User.Email, password = "password-123" });
        login.EnsureSuccessStatusCode();
        return (await login.Content.ReadFromJsonAsync<AuthResponse>())!;
    }

    private Task<HttpResponseMessage> SendAsync(string? token, string method, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "PUT" or "PATCH")
        {
            request.Content = JsonContent.Create(new { roles = Array.Empty<string>(), enabled = true });
        }
        else if (path.EndsWith("/coins", StringComparison.Ordinal))
        {
            request.Content = JsonContent.Create(new { amount = 1, reason = "r", idempotencyKey = Guid.NewGuid().ToString() });
        }

        return api.ClientWithToken(token).SendAsync(request);
    }
}
