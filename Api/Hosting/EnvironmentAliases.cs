namespace Nio.Api.Hosting;

/// <summary>
/// The product's documented variable names (<c>PORT</c>, <c>JWT_SECRET</c>, …) mapped onto configuration sections,
/// so every setting is read through the options pattern while users keep the short names.
/// </summary>
public static class EnvironmentAliases
{
    public static readonly IReadOnlyDictionary<string, string> Map = new Dictionary<string, string>
    {
        ["PORT"] = "Http:Port",
        ["NIO_HOST"] = "Http:Host",
        ["NIO_DATA_DIR"] = "DataDir",
        ["NIO_DATABASE_URL"] = "Database:Url",
        ["JWT_SECRET"] = "Jwt:Secret",
        ["NIO_INGEST_SECRET"] = "Ingest:Secret",
        ["NIO_ADMIN_EMAIL"] = "AdminAccount:Email",
        ["NIO_ADMIN_PASSWORD"] = "AdminAccount:Password",
        ["NIO_RTMP_URL"] = "MediaUrls:Rtmp",
        ["NIO_WHIP_URL"] = "MediaUrls:Whip",
        ["NIO_PLAYBACK_URL"] = "MediaUrls:Playback",
    };

    public static void AddEnvironmentAliases(this IConfigurationManager configuration)
    {
        var values = new Dictionary<string, string?>();
        foreach (var (variable, key) in Map)
        {
            var value = Environment.GetEnvironmentVariable(variable);
            if (!string.IsNullOrEmpty(value))
            {
                values[key] = value;
            }
        }

        configuration.AddInMemoryCollection(values);
    }
}
