using System.Net;
using System.Net.Http.Json;
using Dapper;
using Nio.Api.Search;
using Nio.Api.Streams;
using Nio.Api.Users;
using Nio.TestSupport;

namespace Nio.Api.Tests.Search;

public sealed class SearchTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    /// <summary>A word no other test of this class uses, so each test sees only what it made.</summary>
    private static string UniqueWord(string alphabet = "bcdfghjklmnpqrstvwxz") =>
        new(Enumerable.Range(0, 8).Select(_ => alphabet[Random.Shared.Next(alphabet.Length)]).ToArray());

    private async Task<SearchResults> SearchAsync(string q, int? limit = null)
    {
        var url = $"/api/search?q={Uri.EscapeDataString(q)}" + (limit is null ? "" : $"&limit={limit}");
        var response = await api.CreateClient().GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<SearchResults>())!;
    }

    private async Task<StreamCredentials> StreamTitledAsync(string title)
    {
        var (_, stream) = await api.CreateStreamAsync(title);
        return stream;
    }

    [Fact]
    public async Task Titles_and_names_match_inside_words_whatever_the_case()
    {
        var word = UniqueWord();
        var stream = await StreamTitledAsync($"Speedrun{word.ToUpperInvariant()}ing tonight");
        var person = await api.RegisterAsync($"Ada{word}lace");

        var found = await SearchAsync(word[2..6].ToUpperInvariant());

        Assert.Equal(stream.Id, Assert.Single(found.Streams).Id);
        var match = Assert.Single(found.People);
        Assert.Equal(person.User.Id, match.Id);
        Assert.Equal($"Ada{word}lace", match.DisplayName);
        Assert.False(match.Live);
        Assert.Null(match.LiveStreamId);
    }

    [Fact]
    public async Task Cyrillic_matches_in_any_case()
    {
        var word = UniqueWord("бвгджзклмнпрстфхцчшщ");
        var stream = await StreamTitledAsync($"Вечерний {word.ToUpperInvariant()}ОК");
        var person = await api.RegisterAsync($"Никита{word}");

        var found = await SearchAsync(word.ToUpperInvariant());
        Assert.Equal(stream.Id, Assert.Single(found.Streams).Id);
        Assert.Equal(person.User.Id, Assert.Single(found.People).Id);

        var lower = await SearchAsync(word[1..] + "ок");
        Assert.Equal(stream.Id, Assert.Single(lower.Streams).Id);
    }

    [Fact]
    public async Task Percent_underscore_and_backslash_in_the_query_match_only_themselves()
    {
        var word = UniqueWord();
        var percent = await StreamTitledAsync($"{word} 50% off");
        await StreamTitledAsync($"{word} 500 off");
        var underscore = await StreamTitledAsync($"{word} a_b");
        await StreamTitledAsync($"{word} axb");
        var backslash = await StreamTitledAsync($@"{word} c:\dir");

        Assert.Equal(percent.Id, Assert.Single((await SearchAsync($"{word} 50%")).Streams).Id);
        Assert.Equal(underscore.Id, Assert.Single((await SearchAsync($"{word} a_")).Streams).Id);
        Assert.Equal(backslash.Id, Assert.Single((await SearchAsync(@":\d")).Streams).Id);
        Assert.Empty((await SearchAsync($"{word}%")).Streams);
    }

    [Fact]
    public async Task Live_streams_come_first_and_the_live_streamer_says_where()
    {
        var word = UniqueWord();
        var offline = await StreamTitledAsync($"{word}");
        var (streamer, live) = await api.CreateStreamAsync($"Big {word} night with a long title");
        await api.GoLiveAsync(live);
        await using (var connection = await api.Database.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("UPDATE users SET display_name = @name WHERE id = @id", new { name = $"{word} Live", id = streamer.User.Id });
        }

        var found = await SearchAsync(word);

        Assert.Equal([live.Id, offline.Id], found.Streams.Select(s => s.Id));
        Assert.Equal(StreamStatus.Live, found.Streams[0].Status);
        var person = Assert.Single(found.People);
        Assert.True(person.Live);
        Assert.Equal(live.Id, person.LiveStreamId);
    }

    [Fact]
    public async Task Ended_streams_and_banned_people_are_not_found()
    {
        var word = UniqueWord();
        var (streamer, stream) = await api.CreateStreamAsync($"{word} finale");
        var client = api.ClientWithToken(streamer.AccessToken);
        (await client.PostAsync($"/api/streams/{stream.Id}/end", null)).EnsureSuccessStatusCode();
        var banned = await api.RegisterAsync($"{word} Troll");
        var admin = await api.LoginAdminAsync();
        (await api.ClientWithToken(admin.AccessToken).PostAsJsonAsync($"/api/admin/users/{banned.User.Id}/ban", new { reason = "spam" })).EnsureSuccessStatusCode();

        var found = await SearchAsync(word);

        Assert.Empty(found.Streams);
        Assert.Empty(found.People);
    }

    [Fact]
    public async Task Limit_caps_each_list()
    {
        var word = UniqueWord();
        for (var i = 0; i < 3; i++)
        {
            await StreamTitledAsync($"{word} {i}");
        }

        Assert.Equal(2, (await SearchAsync(word, limit: 2)).Streams.Count);
        Assert.Equal(3, (await SearchAsync(word)).Streams.Count);
    }

    public static TheoryData<string, string> BadQueries => new()
    {
        { "q", "/api/search" },
        { "q", "/api/search?q=" },
        { "q", "/api/search?q=%20%20%20" },
        { "q", "/api/search?q=" + new string('a', 101) },
        { "limit", "/api/search?q=abc&limit=0" },
        { "limit", "/api/search?q=abc&limit=51" },
    };

    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task A_missing_blank_or_too_long_query_or_a_bad_limit_is_a_validation_error(string field, string url)
    {
        await (await api.CreateClient().GetAsync(url)).AssertFieldErrorAsync(field);
    }

    [Fact]
    public void The_pattern_escapes_like_wildcards()
    {
        Assert.Equal(@"%50\%\_a\\b%", SearchText.ContainsPattern(@"50%_a\b"));
    }

    /// <summary>
    /// On tables of a few thousand rows (added in a transaction that is rolled back), the planner answers a search
    /// through the trigram index, not a sequential scan nor the partial index of open streams.
    /// </summary>
    [Theory]
    [InlineData("streams_title_trgm")]
    [InlineData("users_display_name_trgm")]
    public async Task The_search_queries_use_their_trigram_indexes(string index)
    {
        var sql = index == "streams_title_trgm" ? StreamRepository.SearchSql : UserRepository.SearchSql;
        await using var connection = await api.Database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(
            """
            INSERT INTO users (id, email, email_normalized, password_hash, display_name)
            SELECT gen_random_uuid(), 'filler' || i || '@example.com', 'filler' || i || '@example.com', '', 'Filler ' || md5(i::text)
            FROM generate_series(1, 5000) i;
            INSERT INTO streams (id, owner_id, title, key_hash)
            SELECT gen_random_uuid(), id, 'Stream ' || md5(email), sha256(convert_to(email, 'UTF8'))
            FROM users WHERE email LIKE 'filler%';
            ANALYZE users;
            ANALYZE streams;
            -- Rows inserted in bulk wait in the GIN pending list (costed as a scan of it) until a vacuum; flushed here.
            SELECT gin_clean_pending_list('streams_title_trgm'), gin_clean_pending_list('users_display_name_trgm');
            """, transaction: transaction,
            // About 200,000 trigram entries per index: once, on two cores shared with the other test classes, this
            // took longer than Npgsql's default 30 s.
            commandTimeout: 180);

        var plan = string.Join('\n', await connection.QueryAsync<string>("EXPLAIN " + sql,
            new { query = "speedrun", pattern = SearchText.ContainsPattern("speedrun"), limit = 20 }, transaction));

        Assert.Contains(index, plan);
        await transaction.RollbackAsync();
    }
}
