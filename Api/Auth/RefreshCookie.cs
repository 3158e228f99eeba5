namespace Nio.Api.Auth;

/// <summary>
/// The browser's refresh token, kept in an HttpOnly cookie so page scripts never see it. SameSite=Strict and a path of
/// <c>/api/auth</c> keep it off every request but the auth endpoints' own, and off requests another site starts.
/// </summary>
public static class RefreshCookie
{
    public const string Name = "nio_refresh";
    public const string Path = "/api/auth";

    /// <summary>The <c>session</c> value that asks for the cookie instead of a token in the JSON answer.</summary>
    public const string SessionMode = "cookie";

    public static string? Read(HttpRequest request) =>
        request.Cookies.TryGetValue(Name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    public static void Set(HttpContext http, string refreshToken, int lifetimeDays) =>
        http.Response.Cookies.Append(Name, refreshToken, Options(http.Request, TimeSpan.FromDays(lifetimeDays)));

    public static void Delete(HttpContext http) => http.Response.Cookies.Delete(Name, Options(http.Request, maxAge: null));

    private static CookieOptions Options(HttpRequest request, TimeSpan? maxAge) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Path = Path,
        Secure = request.IsHttps,
        MaxAge = maxAge,
        IsEssential = true,
    };
}
