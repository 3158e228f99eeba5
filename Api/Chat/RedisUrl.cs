namespace Nio.Api.Chat;

/// <summary>Reads <c>NIO_REDIS_URL</c>: <c>redis://[:password@]host[:port]</c>, or a StackExchange.Redis configuration string.</summary>
public static class RedisUrl
{
    public static string ToConfiguration(string url)
    {
        if (!url.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) && !url.StartsWith("rediss://", StringComparison.OrdinalIgnoreCase))
        {
            return url;
        }

        var uri = new Uri(url);
        var configuration = $"{uri.Host}:{(uri.IsDefaultPort || uri.Port < 0 ? 6379 : uri.Port)}";
        var password = Uri.UnescapeDataString(uri.UserInfo.Split(':', 2) is [_, var secret] ? secret : uri.UserInfo);
        if (password.Length > 0)
        {
            configuration += $",password={password}";
        }

        if (uri.Scheme.Equals("rediss", StringComparison.OrdinalIgnoreCase))
        {
            configuration += ",ssl=true";
        }

        return configuration;
    }
}
