using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Nio.Api.Auth;
using Nio.Api.Streams;
using Nio.TestSupport;

namespace Nio.Api.Tests.Gifts;

/// <summary>Gifts and coin grants through the real Api on real PostgreSQL, with the room watching over SignalR.</summary>
public sealed class GiftTests(LiveApiFactory api) : IClassFixture<LiveApiFactory>
{
    [Fact]
    public async Task The_catalog_is_the_owners_eight_gifts()
    {
        var gifts = await api.ClientWithToken(null).GetFromJsonAsync<JsonElement>("/api/payments/gifts");
        Assert.Equal(
            ["rose Rose 🌹 10 5", "heart Heart ❤️ 20 10", "diamond Diamond 💎 50 25", "rocket Rocket 🚀 100 50", "crown Crown 👑 200 100",
             "star Star ⭐ 500 250", "fire Fire 🔥 1000 500", "rainbow Rainbow 🌈 2000 1000"],
            gifts.EnumerateArray().Select(g => $"{g.GetProperty("id")} {g.GetProperty("name")} {g.GetProperty("emoji")} {g.GetProperty("coins")} {g.GetProperty("beans")}"));
    }

    [Fact]
    public async Task A_granted_viewer_sends_a_rocket_the_room_sees_it_and_the_streamer_earns_50_beans()
    {
        var (streamer, stream) = await LiveStreamAsync();
        var viewer = await api.RegisterAsync("Vera");
        await GrantAsync(viewer.User.Id, 150);
        await using var room = await api.ConnectAsync();
        await room.JoinAsync(stream.Id);

        var response = await GiftAsync(viewer, stream.Id, "rocket", 1, "rocket-1");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var sent = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(100, sent.GetProperty("coinsSpent").GetInt64());
        Assert.Equal(50, sent.GetProperty("beansToStreamer").GetInt64());
        Assert.Equal(50, sent.GetProperty("balance").GetInt64());
        var gift = await room.WaitForAsync("gift");
        Assert.Equal("rocket", gift.GetProperty("gift").GetProperty("id").GetString());
        Assert.Equal("Vera", gift.GetProperty("sender").GetProperty("displayName").GetString());
        Assert.Equal(1, gift.GetProperty("combo").GetInt32());
        var system = await room.WaitForAsync("system", e => e.GetProperty("kind").GetString() == "gift");
        Assert.Equal("Vera sent Rocket 🚀", system.GetProperty("text").GetString());
        var args = system.GetProperty("args");
        Assert.Equal(("Vera", "rocket", "Rocket", "🚀", 1, 1), (args.GetProperty("name").GetString(), args.GetProperty("gift").GetString(),
            args.GetProperty("giftName").GetString(), args.GetProperty("emoji").GetString(), args.GetProperty("count").GetInt32(), args.GetProperty("combo").GetInt32()));
        var history = await api.ClientWithToken(null).GetFromJsonAsync<JsonElement>($"/api/streams/{stream.Id}/chat");
        var kept = history.GetProperty("items").EnumerateArray().Single(m => m.GetProperty("kind").GetString() == "gift");
        Assert.Equal(("gift", "rocket"), (kept.GetProperty("code").GetString(), kept.GetProperty("args").GetProperty("gift").GetString()));

        Assert.Equal(50, (await WalletAsync(viewer)).GetProperty("coins").GetInt64());
        var earnings = await api.ClientWithToken(streamer.AccessToken).GetFromJsonAsync<JsonElement>("/api/wallet/earnings");
        Assert.Equal(50, earnings.GetProperty("beans").GetInt64());
        Assert.Equal(50, earnings.GetProperty("perStream")[0].GetProperty("beans").GetInt64());
        Assert.Equal("Vera", earnings.GetProperty("topGifters")[0].GetProperty("displayName").GetString());
        Assert.Equal(50, earnings.GetProperty("perDay")[0].GetProperty("beans").GetInt64());
        await AssertLedgerBalancesAsync();
    }

    [Fact]
    public async Task The_same_key_twice_moves_coins_once_and_answers_the_same()
    {
        var (_, stream) = await LiveStreamAsync();
        var viewer = await api.RegisterAsync();
        await GrantAsync(viewer.User.Id, 100);

        var first = await (await GiftAsync(viewer, stream.Id, "rose", 3, "same-key")).Content.ReadFromJsonAsync<JsonElement>();
        var again = await GiftAsync(viewer, stream.Id, "rose", 3, "same-key");

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(first.GetRawText(), (await again.Content.ReadFromJsonAsync<JsonElement>()).GetRawText());
        Assert.Equal(70, (await WalletAsync(viewer)).GetProperty("coins").GetInt64());
        var reused = await GiftAsync(viewer, stream.Id, "rose", 4, "same-key");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        Assert.Equal(70, (await WalletAsync(viewer)).GetProperty("coins").GetInt64());
    }

    [Fact]
    public async Task A_gift_replayed_after_the_stream_ended_answers_its_original_result()
    {
        var (_, stream) = await LiveStreamAsync();
        var viewer = await api.RegisterAsync();
        await GrantAsync(viewer.User.Id, 100);
        var first = await (await GiftAsync(viewer, stream.Id, "rose", 2, "before-the-end")).Content.ReadFromJsonAsync<JsonElement>();

        (await api.IngestClient().PostAsync($"/api/ingest/streams/{stream.Id}/offline", null)).EnsureSuccessStatusCode();
        var replayed = await GiftAsync(viewer, stream.Id, "rose", 2, "before-the-end");

        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        Assert.Equal(first.GetRawText(), (await replayed.Content.ReadFromJsonAsync<JsonElement>()).GetRawText());
        await (await GiftAsync(viewer, stream.Id, "rose", 2, "after-the-end")).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(80, (await WalletAsync(viewer)).GetProperty("coins").GetInt64());
    }

    [Fact]
    public async Task Every_refused_gift_says_why_and_moves_nothing()
    {
        var (streamer, stream) = await LiveStreamAsync();
        var viewer = await api.RegisterAsync();
        await GrantAsync(viewer.User.Id, 30);

        var poor = await GiftAsync(viewer, stream.Id, "diamond", 1, "k1");
        var problem = await poor.AssertProblemAsync(HttpStatusCode.PaymentRequired);
        Assert.Equal(30, problem.GetProperty("balance").GetInt64());
        Assert.Equal(50, problem.GetProperty("needed").GetInt64());

        await (await GiftAsync(viewer, stream.Id, "unicorn", 1, "k2")).AssertFieldErrorAsync("giftId");
        await (await GiftAsync(viewer, stream.Id, "rose", 0, "k3")).AssertFieldErrorAsync("count");
        await (await GiftAsync(viewer, stream.Id, "rose", 100, "k4")).AssertFieldErrorAsync("count");
        await (await GiftAsync(viewer, stream.Id, "rose", 1, null)).AssertFieldErrorAsync("idempotencyKey");
        await (await GiftAsync(streamer, stream.Id, "rose", 1, "k5")).AssertFieldErrorAsync("streamId");
        Assert.Equal(HttpStatusCode.NotFound, (await GiftAsync(viewer, Guid.NewGuid(), "rose", 1, "k6")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.ClientWithToken(null).PostAsJsonAsync($"/api/streams/{stream.Id}/gifts",
            new { giftId = "rose", count = 1, idempotencyKey = "k7" })).StatusCode);

        var (_, offline) = await api.CreateStreamAsync();
        await (await GiftAsync(viewer, offline.Id, "rose", 1, "k8")).AssertProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal(30, (await WalletAsync(viewer)).GetProperty("coins").GetInt64());
        await AssertLedgerBalancesAsync();
    }

    [Fact]
    public async Task Quick_repeats_of_one_gift_build_a_combo()
    {
        var (_, stream) = await LiveStreamAsync();
        var viewer = await api.RegisterAsync();
        await GrantAsync(viewer.User.Id, 1000);

        var combos = new List<int>();
        foreach (var (gift, count) in new[] { ("rose", 1), ("rose", 2), ("rose", 1), ("heart", 1), ("rose", 1) })
        {
            var sent = await (await GiftAsync(viewer, stream.Id, gift, count, Guid.NewGuid().ToString())).Content.ReadFromJsonAsync<JsonElement>();
            combos.Add(sent.GetProperty("combo").GetInt32());
        }

        Assert.Equal([1, 3, 4, 1, 1], combos);
    }

    [Fact]
    public async Task Two_hundred_concurrent_gifts_from_a_wallet_that_pays_for_one_hundred()
    {
        var (streamer, stream) = await LiveStreamAsync();
        var viewer = await api.RegisterAsync();
        await GrantAsync(viewer.User.Id, 1000);

        var statuses = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
            (await GiftAsync(viewer, stream.Id, "rose", 1, $"burst-{i}")).StatusCode));

        var outcome = string.Join(", ", statuses.GroupBy(s => s).Select(g => $"{g.Key}: {g.Count()}"));
        Assert.True(statuses.Count(s => s == HttpStatusCode.Created) == 100, outcome);
        Assert.True(statuses.Count(s => s == HttpStatusCode.PaymentRequired) == 100, outcome);
        Assert.Equal(0, (await WalletAsync(viewer)).GetProperty("coins").GetInt64());
        Assert.Equal(500, (await WalletAsync(streamer)).GetProperty("beans").GetInt64());
        await AssertLedgerBalancesAsync();
    }

    [Fact]
    public async Task Only_admins_grant_or_remove_coins_and_never_below_zero()
    {
        var viewer = await api.RegisterAsync();
        var other = await api.RegisterAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await api.ClientWithToken(other.AccessToken).PostAsJsonAsync(
            $"/api/admin/users/{viewer.User.Id}/coins", new { amount = 100, reason = "please", idempotencyKey = "x" })).StatusCode);

        var admin = api.ClientWithToken((await api.LoginAdminAsync()).AccessToken);
        await GrantAsync(viewer.User.Id, 40);
        var tooMuch = await admin.PostAsJsonAsync($"/api/admin/users/{viewer.User.Id}/coins", new { amount = -41, reason = "oops", idempotencyKey = Guid.NewGuid() });
        Assert.Equal(40, (await tooMuch.AssertProblemAsync(HttpStatusCode.Conflict)).GetProperty("balance").GetInt64());
        var removed = await admin.PostAsJsonAsync($"/api/admin/users/{viewer.User.Id}/coins", new { amount = -15, reason = "correction", idempotencyKey = Guid.NewGuid() });
        Assert.Equal(HttpStatusCode.Created, removed.StatusCode);
        Assert.Equal(25, (await WalletAsync(viewer)).GetProperty("coins").GetInt64());

        await (await admin.PostAsJsonAsync($"/api/admin/users/{viewer.User.Id}/coins", new { amount = 0, reason = "x", idempotencyKey = "z" })).AssertFieldErrorAsync("amount");
        await (await admin.PostAsJsonAsync($"/api/admin/users/{viewer.User.Id}/coins", new { amount = 5, idempotencyKey = "z" })).AssertFieldErrorAsync("reason");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync($"/api/admin/users/{Guid.NewGuid()}/coins",
            new { amount = 5, reason = "x", idempotencyKey = "z" })).StatusCode);

        var history = (await WalletAsync(viewer)).GetProperty("history").GetProperty("items");
        Assert.Equal([-15L, 40L], history.EnumerateArray().Select(e => e.GetProperty("amount").GetInt64()));
        await using var connection = await api.Database.OpenConnectionAsync();
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM audit_log WHERE action = 'user.coins.adjust' AND target_id = @id", new { id = viewer.User.Id.ToString() }));
    }

    [Fact]
    public async Task Random_grants_gifts_and_removals_keep_every_invariant()
    {
        var random = new Random(20261201);
        var (_, stream) = await LiveStreamAsync();
        var users = new List<AuthResponse>();
        for (var i = 0; i < 4; i++)
        {
            users.Add(await api.RegisterAsync($"Random {i}"));
        }

        var admin = api.ClientWithToken((await api.LoginAdminAsync()).AccessToken);
        var gifts = new[] { "rose", "heart", "diamond", "rocket" };
        for (var step = 0; step < 60; step++)
        {
            var user = users[random.Next(users.Count)];
            var operations = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => random.Next(3) switch
            {
                0 => admin.PostAsJsonAsync($"/api/admin/users/{user.User.Id}/coins",
                    new { amount = random.Next(1, 300), reason = "random grant", idempotencyKey = Guid.NewGuid() }),
                1 => admin.PostAsJsonAsync($"/api/admin/users/{user.User.Id}/coins",
                    new { amount = -random.Next(1, 100), reason = "random removal", idempotencyKey = Guid.NewGuid() }),
                _ => GiftAsync(user, stream.Id, gifts[random.Next(gifts.Length)], random.Next(1, 4), Guid.NewGuid().ToString()),
            }));
            Assert.All(operations, o => Assert.Contains(o.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.PaymentRequired, HttpStatusCode.Conflict }));
        }

        await AssertLedgerBalancesAsync();
    }

    [Fact]
    public async Task The_database_itself_refuses_edits_unbalanced_transfers_and_negative_wallets()
    {
        var viewer = await api.RegisterAsync();
        await GrantAsync(viewer.User.Id, 10);
        await using var connection = await api.Database.OpenConnectionAsync();

        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => connection.ExecuteAsync("UPDATE ledger_entries SET amount = amount * 2"));
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => connection.ExecuteAsync("DELETE FROM ledger_transfers"));
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => connection.ExecuteAsync(
            "UPDATE ledger_accounts SET balance = -1 WHERE user_id = @id AND kind = 'coins'", new { id = viewer.User.Id }));
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => connection.ExecuteAsync(
            """
            WITH t AS (INSERT INTO ledger_transfers (idempotency_key, request_hash, kind) VALUES ('forged', '\x00', 'adjustment') RETURNING id)
            INSERT INTO ledger_entries (transfer_id, account_id, amount)
            SELECT t.id, a.id, 1000 FROM t, ledger_accounts a WHERE a.user_id = @id AND a.kind = 'coins'
            """, new { id = viewer.User.Id }));
        Assert.Equal(10, (await WalletAsync(viewer)).GetProperty("coins").GetInt64());
    }

    private async Task<(AuthResponse Streamer, StreamCredentials Stream)> LiveStreamAsync()
    {
        var created = await api.CreateStreamAsync();
        await api.GoLiveAsync(created.Stream);
        return created;
    }

    private Task<HttpResponseMessage> GiftAsync(AuthResponse sender, Guid streamId, string giftId, int count, string? key) =>
        api.ClientWithToken(sender.AccessToken).PostAsJsonAsync($"/api/streams/{streamId}/gifts", new { giftId, count, idempotencyKey = key });

    private async Task GrantAsync(Guid userId, long amount)
    {
        var admin = api.ClientWithToken((await api.LoginAdminAsync()).AccessToken);
        var response = await admin.PostAsJsonAsync($"/api/admin/users/{userId}/coins", new { amount, reason = "test grant", idempotencyKey = Guid.NewGuid() });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private async Task<JsonElement> WalletAsync(AuthResponse user) =>
        await api.ClientWithToken(user.AccessToken).GetFromJsonAsync<JsonElement>("/api/wallet");

    private Task AssertLedgerBalancesAsync() => LedgerAssertions.AssertBalancedAsync(api.Database);
}
