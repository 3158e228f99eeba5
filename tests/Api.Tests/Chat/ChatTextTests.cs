using Nio.Api.Chat;

namespace Nio.Api.Tests.Chat;

public sealed class ChatTextTests
{
    [Theory]
    [InlineData("  hi  ", "hi")]
    [InlineData("tab\there\nnew line", "tab here new line")]
    [InlineData("bell\u0007 and nul\u0000", "bell and nul")]
    [InlineData("evil\u202Etxt.exe", "eviltxt.exe")]
    [InlineData("<b>bold</b> &amp;", "<b>bold</b> &amp;")]
    [InlineData("👨‍👩‍👧 family", "👨‍👩‍👧 family")]
    public void Messages_are_cleaned_but_otherwise_kept_as_typed(string typed, string stored) =>
        Assert.Equal(stored, ChatText.Clean(typed, out _));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \u0000 \u202E ")]
    public void Nothing_left_is_an_empty_message(string? typed)
    {
        Assert.Null(ChatText.Clean(typed, out var error));
        Assert.Equal(("messageEmpty", "The message is empty."), (error!.Reason, error.Message));
    }

    [Fact]
    public void Length_counts_what_a_reader_sees_as_one_character()
    {
        Assert.NotNull(ChatText.Clean(string.Concat(Enumerable.Repeat("🇺🇦", 500)), out _));
        Assert.Null(ChatText.Clean(string.Concat(Enumerable.Repeat("🇺🇦", 501)), out var error));
        Assert.Equal(("messageTooLong", "The message is longer than 500 characters.", 500), (error!.Reason, error.Message, error.Args!.Value.GetProperty("max").GetInt32()));
        // One "character" of thousands of combining marks is refused by its size.
        Assert.Null(ChatText.Clean("e" + new string('\u0301', 5_000), out _));
    }

    [Fact]
    public void Random_input_never_throws_and_what_is_kept_obeys_the_rules()
    {
        var random = new Random(4242);
        for (var i = 0; i < 2_000; i++)
        {
            var chars = Enumerable.Range(0, random.Next(0, 700)).Select(_ => (char)random.Next(0, 0x10000)).ToArray();
            var cleaned = ChatText.Clean(new string(chars), out var error);
            if (cleaned is null)
            {
                Assert.NotNull(error);
                continue;
            }

            Assert.Equal(cleaned.Trim(), cleaned);
            Assert.DoesNotContain(cleaned, char.IsControl);
        }
    }
}

public sealed class BlockedWordsTests
{
    [Theory]
    [InlineData("darn", true)]
    [InlineData("Oh DARN!", true)]
    [InlineData("darn-it", true)]
    [InlineData("darned", false)]
    [InlineData("undarn", false)]
    [InlineData("a very bad idea", true)]
    [InlineData("a very  bad idea", false)]
    [InlineData("clean", false)]
    public void Whole_words_and_phrases_are_matched_in_any_case(string text, bool blocked) =>
        Assert.Equal(blocked, new BlockedWords(["darn", "very bad", "a.b"]).Blocks(text));

    [Fact]
    public void Regex_characters_in_a_word_are_plain_text() =>
        Assert.False(new BlockedWords(["a.b", "(x"]).Blocks("axb"));

    [Fact]
    public void The_list_is_trimmed_deduplicated_and_bounded()
    {
        Assert.Equal(["darn", "heck"], BlockedWords.Normalize([" darn ", "DARN", null, "", "heck"], out _));
        Assert.Null(BlockedWords.Normalize([new string('w', 51)], out var error));
        Assert.Equal(("blockedWordTooLong", "A blocked word is at most 50 characters."), (error!.Reason, error.Message));
        Assert.Null(BlockedWords.Normalize(Enumerable.Range(0, 201).Select(i => $"w{i}"), out error));
        Assert.Equal(("tooManyBlockedWords", "A room blocks at most 200 words."), (error!.Reason, error.Message));
        Assert.Empty(BlockedWords.Normalize(null, out _)!);
    }
}

public sealed class ChatNamingTests
{
    [Theory]
    [InlineData("redis://127.0.0.1:6390", "127.0.0.1:6390")]
    [InlineData("redis://cache", "cache:6379")]
    [InlineData("redis://:s3cret@cache:6380", "cache:6380,password=s3cret")]
    [InlineData("rediss://user:p%40ss@cache:6380", "cache:6380,password=p@ss,ssl=true")]
    [InlineData("cache:6379,abortConnect=false", "cache:6379,abortConnect=false")]
    public void Redis_urls_become_client_configurations(string url, string configuration) =>
        Assert.Equal(configuration, RedisUrl.ToConfiguration(url));

    [Theory]
    [InlineData(new[] { "Ann" }, "Ann joined", """{"names":["Ann"],"others":0}""")]
    [InlineData(new[] { "Ann", "Bo" }, "Ann and Bo joined", """{"names":["Ann","Bo"],"others":0}""")]
    [InlineData(new[] { "Ann", "Bo", "Cy" }, "Ann, Bo and Cy joined", """{"names":["Ann","Bo","Cy"],"others":0}""")]
    [InlineData(new[] { "Ann", "Bo", "Cy", "Di", "Ed" }, "Ann, Bo and 3 others joined", """{"names":["Ann","Bo"],"others":3}""")]
    public void Joins_are_announced_in_one_line_with_the_names_said_as_arguments(string[] names, string text, string args)
    {
        var line = SystemLines.Joined(names);
        Assert.Equal(("joined", "joined", text), (line.Kind, line.Code, line.Text));
        Assert.Equal(args, line.Args?.GetRawText());
    }

    [Fact]
    public void Moderation_lines_carry_their_code_and_arguments_beside_the_english_text()
    {
        var timedOut = SystemLines.TimedOut("Ann", 600);
        Assert.Equal(("moderation", "timedOut", "Ann was timed out for 600 s."), (timedOut.Kind, timedOut.Code, timedOut.Text));
        Assert.Equal("""{"name":"Ann","seconds":600}""", timedOut.Args?.GetRawText());
        Assert.Equal(("slowModeOff", null), (SystemLines.SlowMode(0).Code, SystemLines.SlowMode(0).Args));
        Assert.Equal("""{"seconds":30}""", SystemLines.SlowMode(30).Args?.GetRawText());
        Assert.Equal("moderatorRemoved", SystemLines.Moderator("Bo", appointed: false).Code);
    }

    [Theory]
    [InlineData("❤️", "❤️")]
    [InlineData("\u2764", "❤️")]
    [InlineData("🔥", "🔥")]
    [InlineData("💩", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Reactions_have_one_spelling(string? sent, string? canonical) => Assert.Equal(canonical, Reactions.Canonical(sent));
}
