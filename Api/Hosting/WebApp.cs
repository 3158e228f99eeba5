using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Nio.Api.Streams;

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

        var mediaUrls = app.Services.GetRequiredService<IOptions<MediaUrlOptions>>().Value;
        var security = new WebAppSecurity(File.ReadAllText(Path.Combine(root, "index.html")), mediaUrls);
        var provider = new PhysicalFileProvider(root);
        var files = new StaticFileOptions
        {
            FileProvider = provider,
            ContentTypeProvider = new PrecompressedContentTypes(),
            OnPrepareResponse = file =>
            {
                var headers = file.Context.Response.Headers;
                headers.CacheControl = CacheControl(file.Context.Request.Path);
                if (PrecompressedContentTypes.EncodingOf(file.File.Name) is { } encoding)
                {
                    headers.ContentEncoding = encoding;
                    headers.Vary = "Accept-Encoding";
                }
            },
        };
        app.Use((context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments("/api"))
            {
                security.Apply(context);
                PreloadPlaylist(context, mediaUrls);
            }

            ChoosePrecompressed(context, provider);
            return next(context);
        });
        app.UseStaticFiles(files);
        // An unknown Api route stays a 404 problem rather than becoming a page.
        app.MapFallback("/api/{**rest}", () => Results.NotFound());
        app.MapFallbackToFile("index.html", files);
    }

    /// <summary>
    /// A watch link's page names its stream's multivariant playlist as a preload, so the browser fetches it while the
    /// page's code loads; the player's own request for it is then answered from that preload (Fetch, "consume a
    /// preloaded resource"). A stream that is not live answers 404 and the page plays its recording instead.
    /// </summary>
    private static void PreloadPlaylist(HttpContext context, MediaUrlOptions mediaUrls)
    {
        var segments = context.Request.Path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (HttpMethods.IsGet(context.Request.Method) && segments is ["watch", var id] && Guid.TryParse(id, out var streamId))
        {
            var playlist = MediaUrls.For(mediaUrls, context.Request).Playback(streamId);
            context.Response.Headers.Link = $"<{playlist}>; rel=preload; as=fetch; crossorigin=anonymous";
        }
    }

    /// <summary>
    /// The build writes each text file also as <c>.br</c> and <c>.gz</c>: a browser that accepts one gets it, with no
    /// compression work per request (the web app's JavaScript is about a quarter of its size in Brotli).
    /// </summary>
    private static void ChoosePrecompressed(HttpContext context, IFileProvider files)
    {
        var path = context.Request.Path;
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) || !path.HasValue ||
            !Path.HasExtension(path.Value) || path.StartsWithSegments("/api") || PrecompressedContentTypes.EncodingOf(path.Value) is not null)
        {
            return;
        }

        var accepted = context.Request.Headers.AcceptEncoding.ToString();
        foreach (var (encoding, extension) in PrecompressedContentTypes.Encodings)
        {
            if (accepted.Contains(encoding, StringComparison.OrdinalIgnoreCase) && files.GetFileInfo(path.Value + extension).Exists)
            {
                context.Request.Path = path.Value + extension;
                return;
            }
        }
    }

    /// <summary>Vite names everything under <c>/assets</c> by its content hash; the page itself must be revalidated.</summary>
    private static string CacheControl(PathString path) =>
        path.StartsWithSegments("/assets") ? "public, max-age=31536000, immutable" : "no-cache";

    /// <summary>Content types by extension, where <c>app.js.br</c> is JavaScript sent Brotli-encoded.</summary>
    private sealed class PrecompressedContentTypes : IContentTypeProvider
    {
        public static readonly (string Encoding, string Extension)[] Encodings = [("br", ".br"), ("gzip", ".gz")];

        private readonly FileExtensionContentTypeProvider types = new() { Mappings = { [".webmanifest"] = "application/manifest+json" } };

        public static string? EncodingOf(string name) =>
            Encodings.FirstOrDefault(e => name.EndsWith(e.Extension, StringComparison.Ordinal)).Encoding;

        public bool TryGetContentType(string subpath, out string contentType)
        {
            var encoding = Encodings.FirstOrDefault(e => subpath.EndsWith(e.Extension, StringComparison.Ordinal));
            return types.TryGetContentType(encoding.Extension is null ? subpath : subpath[..^encoding.Extension.Length], out contentType!);
        }
    }
}
