using Nio.Api.Http;

namespace Nio.Api.Tests.Hosting;

public sealed class FieldErrorsTests
{
    [Theory]
    [InlineData("  padded  ", 10, "padded")]
    [InlineData("🚀🚀🚀", 3, "🚀🚀🚀")]
    public void Required_text_is_trimmed_and_counts_an_emoji_as_one_character(string input, int max, string expected)
    {
        var errors = new FieldErrors();
        Assert.Equal(expected, errors.RequiredText("f", input, max));
        Assert.False(errors.Any);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("four")]
    [InlineData("a\u0000b")]
    [InlineData("a\nb")]
    public void Required_text_rejects_missing_long_and_control_characters(string? input)
    {
        var errors = new FieldErrors();
        Assert.Null(errors.RequiredText("f", input, 3));
        Assert.True(errors.Any);
    }

    [Fact]
    public void Optional_text_may_keep_line_breaks_but_never_other_controls()
    {
        var errors = new FieldErrors();
        Assert.Equal("a\nb", errors.OptionalText("f", "a\nb", 10, allowLineBreaks: true));
        Assert.Null(errors.OptionalText("f", "a\u001bb", 10, allowLineBreaks: true));
        Assert.Null(errors.OptionalText("f", null, 10, allowLineBreaks: true));
        Assert.True(errors.Any);
    }
}

public sealed class VisibleTextTests
{
    [Theory]
    [InlineData("Ann\u202Egnp.exe", 0x202E)]
    [InlineData("\u202Aa", 0x202A)]
    [InlineData("a\u202B", 0x202B)]
    [InlineData("a\u202Cb", 0x202C)]
    [InlineData("\u2066a\u2069", 0x2066)]
    [InlineData("a\u2068b", 0x2068)]
    [InlineData("a\u200Eb", 0x200E)]
    [InlineData("ad\u200Bmin", 0x200B)]
    [InlineData("ad\u200Cmin", 0x200C)]
    [InlineData("ad\u200Dmin", 0x200D)]
    [InlineData("\u200D👩", 0x200D)]
    [InlineData("👩\u200D", 0x200D)]
    [InlineData("a\u2060b", 0x2060)]
    [InlineData("\uFEFFa", 0xFEFF)]
    [InlineData("soft\u00ADhyphen", 0x00AD)]
    [InlineData("a\u180Eb", 0x180E)]
    [InlineData("a\u2028b", 0x2028)]
    [InlineData("\u3164", 0x3164)]
    [InlineData("\u115F\u1160", 0x115F)]
    [InlineData("\u2800", 0x2800)]
    [InlineData("hidden\U000E0041\U000E0042", 0xE0041)]
    [InlineData("🏴\U000E0067\U000E0062", 0xE0067)]
    public void Characters_that_draw_nothing_are_found(string text, int codePoint) =>
        Assert.Equal(codePoint, VisibleText.FirstHidden(text)?.Value);

    [Theory]
    [InlineData("plain ASCII, punctuation & <b>markup</b>")]
    [InlineData("Zoë Ørsted — “quoted” Ελληνικά Кириллица 中文 日本語")]
    [InlineData("👩\u200D💻 👨\u200D👩\u200D👧\u200D👦 🏳\uFE0F\u200D🌈 ❤\uFE0F\u200D🔥 🧑🏽\u200D🚀 👁\uFE0F\u200D🗨\uFE0F 🏃\u200D➡\uFE0F")]
    [InlineData("👋🏽 🇺🇦 1\uFE0F⃣")]
    [InlineData("🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F Scotland")]
    [InlineData("می\u200Cخواهم")]
    [InlineData("क्\u200Dष and क्\u200Cष")]
    [InlineData("שלום עולם")]
    [InlineData("line\nbreaks\tand\ttabs are control characters, checked apart")]
    public void Visible_text_emoji_sequences_and_joined_scripts_pass(string text) =>
        Assert.Null(VisibleText.FirstHidden(text));

    [Fact]
    public void Removing_keeps_everything_visible_in_order() =>
        Assert.Equal("admin 👩\u200D💻 می\u200Cخواهم", VisibleText.RemoveHidden("\u202Ead\u200Bmin\uFEFF 👩\u200D💻 می\u200Cخواهم\u2069"));

    [Fact]
    public void Field_errors_name_the_character_found()
    {
        var errors = new FieldErrors();
        Assert.Null(errors.RequiredText("displayName", "Ann\u202Egnp.exe", 50));
        Assert.Null(errors.OptionalText("bio", "a\u200Bb", 500, allowLineBreaks: true));
        var problem = (Microsoft.AspNetCore.Http.HttpValidationProblemDetails)errors.ToProblem().ProblemDetails;
        Assert.Equal(["displayName must not contain invisible or text-direction characters (found U+202E)."], problem.Errors["displayName"]);
        Assert.Equal(["bio must not contain invisible or text-direction characters (found U+200B)."], problem.Errors["bio"]);
    }
}
