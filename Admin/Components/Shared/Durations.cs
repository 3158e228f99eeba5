using System.Globalization;

namespace Nio.Admin.Components.Shared;

/// <summary>Stream durations as people read them: <c>1:02:03</c>, <c>4:05</c>, or a dash when it never started.</summary>
public static class Durations
{
    public static string Format(long? seconds) => seconds switch
    {
        null or < 0 => "—",
        >= 3600 => TimeSpan.FromSeconds(seconds.Value).ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture),
        _ => TimeSpan.FromSeconds(seconds.Value).ToString(@"m\:ss", CultureInfo.InvariantCulture),
    };
}
