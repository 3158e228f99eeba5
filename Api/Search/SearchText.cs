namespace Nio.Api.Search;

/// <summary>Turns what a user typed into a LIKE pattern that matches it literally anywhere in the text.</summary>
public static class SearchText
{
    public const int MaxQueryLength = 100;

    /// <summary>
    /// <c>%</c>, <c>_</c> and <c>\</c> escaped with <c>\</c> (LIKE's default escape character) and wrapped in
    /// <c>%…%</c>: "50%" finds "50% off" and not "500 off".
    /// </summary>
    public static string ContainsPattern(string query)
    {
        var escaped = query.Replace(@"\", @"\\", StringComparison.Ordinal)
            .Replace("%", @"\%", StringComparison.Ordinal)
            .Replace("_", @"\_", StringComparison.Ordinal);
        return $"%{escaped}%";
    }
}
