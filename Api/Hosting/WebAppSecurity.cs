using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Nio.Api.Streams;

namespace Nio.Api.Hosting;

/// <summary>
/// The headers every page and file of the web app carries: a Content Security Policy that allows no inline script
/// except the exact ones the built <c>index.html</c> holds (by their SHA-256), media only from the Origin, payments
/// only from Stripe, WHIP offers only to the Ingest, and no framing; plus <c>X-Content-Type-Options</c> and
/// <c>Referrer-Policy</c>.
/// </summary>
public sealed partial class WebAppSecurity
{
    // Stripe.js and its Payment Element: the script and its frames come from js.stripe.com, its calls go to
    // api.stripe.com, 3-D Secure pages come from hooks.stripe.com.
    private const string StripeScripts = "https://js.stripe.com https://*.js.stripe.com";
    private const string StripeFrames = "https://js.stripe.com https://*.js.stripe.com https://hooks.stripe.com";
    private const string StripeApi = "https://api.stripe.com";

    private readonly string inlineScriptHashes;
    private readonly MediaUrlOptions media;

    public WebAppSecurity(string indexHtml, MediaUrlOptions media)
    {
        inlineScriptHashes = string.Join(' ', InlineScripts().Matches(indexHtml)
            .Select(match => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(match.Groups[1].Value)))}'"));
        this.media = media;
    }

    public void Apply(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = Policy(context.Request);
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        headers.XFrameOptions = "DENY";
    }

    /// <summary>The policy for a page reached through <paramref name="request"/>'s host (the Origin's address follows it).</summary>
    public string Policy(HttpRequest request)
    {
        var urls = MediaUrls.For(media, request);
        var mediaOrigin = OriginOf(urls.PlaybackBase);
        // The studio's "Go live from the browser" posts its offer to the Ingest's WHIP endpoint, another origin.
        var whipOrigin = OriginOf(urls.WhipUrl);
        // SignalR's WebSocket to this same host: 'self' covers it in current browsers, older Safari needs it named.
        var socket = $"{(request.IsHttps ? "wss" : "ws")}://{request.Host}";
        return string.Join("; ",
            "default-src 'self'",
            $"script-src 'self' {inlineScriptHashes} {StripeScripts}".Replace("  ", " ", StringComparison.Ordinal),
            // React sets styles through the DOM, but Stripe.js writes style attributes into the page.
            "style-src 'self' 'unsafe-inline'",
            $"img-src 'self' data: blob: {mediaOrigin}",
            // hls.js plays through Media Source Extensions (blob: URLs); Safari's own HLS fetches from the Origin.
            $"media-src 'self' blob: {mediaOrigin}",
            $"connect-src 'self' {socket} {mediaOrigin} {whipOrigin} {StripeApi}",
            $"frame-src {StripeFrames}",
            "worker-src 'self' blob:",
            "manifest-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'");
    }

    private static string OriginOf(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : "'self'";

    // An inline script: a <script> element without a src attribute, and its text.
    [GeneratedRegex(@"<script(?![^>]*\ssrc\s*=)[^>]*>(.*?)</script>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex InlineScripts();
}
