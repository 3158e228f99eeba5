namespace Nio.Api.Search;

/// <summary>Turns what a user typed into a LIKE pattern that matches it literally anywhere in the text.</summary>
public static class SearchText
{
    public const int MaxQueryLength = 100;

    /// <summary>
    /// <c>%</c>, <c>_</c> and <c>\</c> escaped with <c>\</c> (LIKE's default escape character) and wrapped in
    /// <c>%…%</c>: "50%" finds "50% off" and not "500 off".
    /// </summary>
    public static string ContainsPattern(string query) => $"%{Escape(query)}%";

    /// <summary>Matches text that starts with <paramref name="prefix"/>, literally (an index on <c>text_pattern_ops</c> serves it).</summary>
    public static string StartsWithPattern(string prefix) => $"{Escape(prefix)}%";

    private static string Escape(string text) =>
        text.Replace(@"\", @"\\", StringComparison.Ordinal)
            .Replace("%", @"\%", StringComparison.Ordinal)
            .Replace("_", @"\_", StringComparison.Ordinal);
}
