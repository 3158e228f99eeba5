using Microsoft.AspNetCore.Localization;

namespace Nio.Admin.Localization;

/// <summary>
/// The panel's languages. Texts are written in English in the components and looked up as keys in
/// <c>Text.ru.resx</c>; a missing translation shows the English text.
/// </summary>
public static class Languages
{
    public static readonly string[] Codes = ["en", "ru"];

    /// <summary><c>GET /language?code=ru&amp;returnUrl=/users</c>: remembers the operator's language in a cookie and goes back.</summary>
    public static void MapLanguageSwitch(this IEndpointRouteBuilder app) =>
        app.MapGet("/language", (string? code, string? returnUrl, HttpContext http) =>
        {
            if (code is not null && Codes.Contains(code))
            {
                http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                    CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(code)),
                    new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = http.Request.IsHttps, MaxAge = TimeSpan.FromDays(365), IsEssential = true });
            }

            return TypedResults.LocalRedirect(IsLocal(returnUrl) ? returnUrl! : "/");
        });

    /// <summary>Only paths of this site (never <c>//host</c> or <c>/\host</c>) are followed after a switch or a sign-in.</summary>
    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));
}

/// <summary>The marker type of the panel's texts (<c>IStringLocalizer&lt;Text&gt;</c>).</summary>
public sealed class Text;
