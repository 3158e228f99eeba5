using System.ComponentModel.DataAnnotations;

namespace Nio.Admin.Hosting;

/// <summary>Where the panel finds the Api (section <c>Api</c>).</summary>
public sealed class ApiOptions
{
    /// <summary>The Api's public listener as the panel's server reaches it (<c>NIO_ADMIN_API_URL</c>).</summary>
    [Required, Url]
    public string Url { get; set; } = "http://127.0.0.1:5000";

    /// <summary>
    /// The Api as the operator's browser reaches it (<c>NIO_ADMIN_PUBLIC_API_URL</c>), for the links to its Hangfire
    /// dashboard; the same as <see cref="Url"/> when empty.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>Seconds one Api call may take before the page says the Api did not answer.</summary>
    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 15;

    public string BrowserUrl => string.IsNullOrWhiteSpace(PublicUrl) ? Url.TrimEnd('/') : PublicUrl.TrimEnd('/');
}

/// <summary>The operators' sessions (section <c>Sessions</c>).</summary>
public sealed class OperatorSessionOptions
{
    /// <summary>Signed-in operators held at once; past it the longest-held session ends.</summary>
    [Range(1, 100_000)]
    public int MaxSessions { get; set; } = 1000;

    /// <summary>How long before its expiry an Api access token is renewed.</summary>
    [Range(5, 3600)]
    public int RefreshAheadSeconds { get; set; } = 60;

    /// <summary>Hours a panel cookie lives without use (each visit renews it); the Api session may end sooner.</summary>
    [Range(1, 24 * 30)]
    public int IdleHours { get; set; } = 12;
}
