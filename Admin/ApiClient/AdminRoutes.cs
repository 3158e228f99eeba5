using Microsoft.AspNetCore.WebUtilities;

namespace Nio.Admin.ApiClient;

/// <summary>The admin routes with their query strings, built in one place for every page.</summary>
public static class AdminRoutes
{
    /// <summary><paramref name="path"/> with the non-empty values as its query string.</summary>
    public static string With(string path, params (string Name, object? Value)[] query)
    {
        var values = query
            .Select(q => (q.Name, Value: q.Value switch
            {
                null => null,
                DateTime time => time.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                bool flag => flag ? "true" : "false",
                IFormattable formattable => formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
                var other => other.ToString(),
            }))
            .Where(q => !string.IsNullOrEmpty(q.Value))
            .ToDictionary(q => q.Name, q => q.Value);
        return QueryHelpers.AddQueryString(path, values);
    }
}
