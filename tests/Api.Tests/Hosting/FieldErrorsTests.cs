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
