using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace Nio.Api.Hosting;

/// <summary>
/// Serves the built web app (<c>Web/dist</c>; setting <c>Web:Root</c>, <c>NIO_WEB_ROOT</c>) from the Api's own origin,
/// so the app calls <c>/api</c> without CORS. Every path that is neither a file nor an Api route answers
/// <c>index.html</c>, so deep links such as <c>/watch/{id}</c> work. Without the setting the Api serves only the Api.
/// </summary>
public static class WebApp
{
    public static void MapNioWebApp(this WebApplication app)
    {
        var root = app.Configuration["Web:Root"];
        if (string.IsNullOrWhiteSpace(root))
        {
            return;
        }

        root = Path.GetFullPath(root);
        if (!File.Exists(Path.Combine(root, "index.html")))
        {
            throw new InvalidOperationException($"NIO_WEB_ROOT ({root}) has no index.html: build the web app first (npm ci && npm run build in Web/).");
        }

        var files = new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(root),
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            OnPrepareResponse = file => file.Context.Response.Headers.CacheControl = CacheControl(file.Context.Request.Path),
        };
        app.UseStaticFiles(files);
        // An unknown Api route stays a 404 problem rather than becoming a page.
        app.MapFallback("/api/{**rest}", () => Results.NotFound());
        app.MapFallbackToFile("index.html", files);
    }

    /// <summary>Vite names everything under <c>/assets</c> by its content hash; the page itself must be revalidated.</summary>
    private static string CacheControl(PathString path) =>
        path.StartsWithSegments("/assets") ? "public, max-age=31536000, immutable" : "no-cache";
}
