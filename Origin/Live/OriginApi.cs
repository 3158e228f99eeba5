using Nio.Shared.LlHls;
using Nio.Shared.Media;
using Nio.Shared.Security;
using Nio.Shared.Storage;

namespace Nio.Origin.Live;

/// <summary>
/// <c>/live/{streamId}/…</c> for players (RFC 8216bis: blocking playlist reload, preload-hinted parts, cache headers a
/// CDN can use, CORS), the stream's thumbnail, a recorded stream's recording, and <c>POST /internal/playlists</c> for
/// the Transcoder (on the internal listener, with <c>NIO_TRANSCODER_TO_ORIGIN_SECRET</c>).
/// </summary>
public static partial class OriginApi
{
    /// <summary>The caller the internal routes admit (its secret: setting <c>Transcoder:Secret</c>).</summary>
    public const string Caller = "Transcoder";

    /// <summary>
    /// The largest playlist update read: a live playlist's window of a few segments and their parts is a few KiB, as
    /// text and again as its model.
    /// </summary>
    public const long MaxUpdateBytes = 1024 * 1024;

    private const string PlaylistType = "application/vnd.apple.mpegurl";

    public static void MapOriginApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/internal/playlists", Update).RequireInternalCaller(Caller, MaxUpdateBytes);
        // Media files: UseLiveMedia, ahead of routing.
        var live = app.MapGroup("/live/{streamId:guid}");
        live.MapGet("/master.m3u8", (Guid streamId, HttpContext context, MissCache store) =>
            ServeFileAsync($"live/{streamId}/master.m3u8", PlaylistType, "public, max-age=1", context, store));
        // Replaced every ten seconds or so: a cache may keep it for a fraction of that.
        live.MapGet($"/{StreamFiles.Thumbnail}", (Guid streamId, HttpContext context, MissCache store) =>
            ServeFileAsync($"live/{streamId}/{StreamFiles.Thumbnail}", "image/jpeg", "public, max-age=5", context, store));
        live.MapGet($"/{{rendition}}/{MediaUris.Playlist}", ServePlaylistAsync);
        // A recording changes only when another broadcast of the stream ends.
        live.MapGet($"/{MediaUris.Recording}", (Guid streamId, HttpContext context, MissCache store) =>
            ServeFileAsync($"live/{streamId}/{MediaUris.Recording}", PlaylistType, "public, max-age=10", context, store));
        live.MapGet($"/{{rendition}}/{MediaUris.Recording}", (Guid streamId, string rendition, HttpContext context, MissCache store) =>
            ServeFileAsync($"live/{streamId}/{rendition}/{MediaUris.Recording}", PlaylistType, "public, max-age=10", context, store));
    }

    /// <summary>
    /// Init segments, parts and segments (<c>GET /live/{streamId}/{rendition}/{file}</c>), answered ahead of routing:
    /// they are nearly every request an Origin gets, and for them routing, endpoint binding and the status-code-page
    /// wrapper cost about as much CPU as Kestrel's own work (bench/origin). Everything else goes on to the endpoints.
    /// </summary>
    public static IApplicationBuilder UseLiveMedia(this IApplicationBuilder app)
    {
        var edge = app.ApplicationServices.GetRequiredService<LiveEdge>();
        var store = app.ApplicationServices.GetRequiredService<MissCache>();
        var mediaCache = app.ApplicationServices.GetRequiredService<MediaCache>();
        return app.Use(next => context => MediaRequest.TryParse(context.Request) is { } media
            ? ServeMediaAsync(media, context, edge, store, mediaCache)
            : next(context));
    }

    public static IResult Update(PlaylistUpdate update, LiveEdge edge)
    {
        edge.Update(update);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// A media playlist, the newest the Transcoder pushed; with <c>_HLS_msn</c> (and <c>_HLS_part</c>) it is held until
    /// it contains that part (§6.2.5.2).
    /// </summary>
    public static async Task<IResult> ServePlaylistAsync(Guid streamId, string rendition, HttpContext context, LiveEdge edge, MissCache store)
    {
        var path = $"live/{streamId}/{rendition}/{MediaUris.Playlist}";
        var msn = context.Request.Query["_HLS_msn"].FirstOrDefault();
        var part = context.Request.Query["_HLS_part"].FirstOrDefault();
        var current = edge.Current(path);
        if (current is null)
        {
            return await ServeStoredPlaylistAsync(path, context, store);
        }

        if (msn is null && part is null)
        {
            AddCors(context);
            context.Response.Headers.CacheControl = "no-cache";
            return TypedResults.Text(current.Text, PlaylistType);
        }

        // The answer to a blocking request never changes, so a CDN may keep it; the deadline is three target durations.
        var deadline = DateTime.UtcNow.AddSeconds(3 * current.Playlist.TargetDuration);
        while (true)
        {
            var changed = edge.Changed(path);
            current = edge.Current(path);
            if (current is null)
            {
                return await ServeStoredPlaylistAsync(path, context, store);
            }

            switch (BlockingReload.Decide(current.Playlist, msn, part))
            {
                case BlockingReloadDecision.Ready:
                    AddCors(context);
                    context.Response.Headers.CacheControl = $"public, max-age={6 * current.Playlist.TargetDuration}";
                    return TypedResults.Text(current.Text, PlaylistType);
                case BlockingReloadDecision.BadRequest:
                    return TypedResults.Problem("_HLS_msn/_HLS_part ask for a part that is too far ahead or malformed.", statusCode: StatusCodes.Status400BadRequest);
            }

            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                return TypedResults.Problem("The playlist did not reach the requested part in time.", statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            try
            {
                await changed.WaitAsync(remaining, context.RequestAborted);
            }
            catch (TimeoutException)
            {
                // Decide once more, then answer 503.
            }
        }
    }

    /// <summary>
    /// A playlist not in memory (not announced since this Origin started, or it left: ended a while ago, or no longer
    /// updated): the stored copy, which the Transcoder updates once a segment and retention deletes with the media.
    /// </summary>
    private static Task<IResult> ServeStoredPlaylistAsync(string path, HttpContext context, MissCache store) =>
        ServeFileAsync(path, PlaylistType, "no-cache", context, FromStore(store, context));

    /// <summary>
    /// The part the playlist hints at next is answered as soon as it exists; parts and segments never change once
    /// written, so they may be cached for good (and are, in memory, while live).
    /// </summary>
    private static async Task ServeMediaAsync(MediaRequest media, HttpContext context, LiveEdge edge, MissCache store, MediaCache mediaCache)
    {
        var file = media.File;
        var cacheControl = file == MediaUris.Init ? "no-cache" : "public, max-age=31536000, immutable";
        var hinted = edge.Current(media.PlaylistPath);
        if (hinted is { Playlist.Ended: false } && hinted.Playlist.NextPartUri == file)
        {
            var changed = edge.Changed(hinted.Path);
            if (edge.Current(hinted.Path)?.Playlist.NextPartUri == file)
            {
                try
                {
                    await changed.WaitAsync(TimeSpan.FromSeconds(3 * hinted.Playlist.PartTarget), context.RequestAborted);
                }
                catch (TimeoutException)
                {
                    // Not there yet: the store answers 404 below.
                }
            }
        }

        // The init segment stays out of memory: a restarted FFmpeg rewrites it under the same name. Part and segment
        // names carry their broadcast's tag, so a name never stands for two different files.
        MediaFile? held = null;
        var read = file != MediaUris.Init
            ? async valid => held = await mediaCache.GetAsync(valid, () => store.ReadAsync(valid, CancellationToken.None), context.RequestAborted)
            : FromStore(store, context);
        try
        {
            var result = await ServeFileAsync(media.Path, "video/mp4", cacheControl, context, read);
            await result.ExecuteAsync(context);
        }
        finally
        {
            held?.Release();
        }
    }

    private static Task<IResult> ServeFileAsync(string path, string contentType, string cacheControl, HttpContext context, MissCache store) =>
        ServeFileAsync(path, contentType, cacheControl, context, FromStore(store, context));

    private static async Task<IResult> ServeFileAsync(string path, string contentType, string cacheControl, HttpContext context, Func<string, Task<MediaFile?>> read)
    {
        MediaFile? file;
        try
        {
            file = await read(MediaPath.Validate(path));
        }
        catch (ArgumentException)
        {
            file = null;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The store did not answer (its own retries spent): the player or CDN may ask again shortly.
            StoreReadFailed(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OriginApi).FullName!), path, exception.Message);
            context.Response.Headers.RetryAfter = "1";
            return TypedResults.Problem("The media store did not answer; try again shortly.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        if (file is null)
        {
            return TypedResults.NotFound();
        }

        AddCors(context);
        context.Response.Headers.CacheControl = cacheControl;
        return file.Result(context.Request, contentType);
    }

    private static Func<string, Task<MediaFile?>> FromStore(MissCache store, HttpContext context) =>
        async path => await store.ReadAsync(path, context.RequestAborted) is { } bytes ? new MediaFile(bytes) : null;

    private static void AddCors(HttpContext context)
    {
        context.Response.Headers.AccessControlAllowOrigin = "*";
        context.Response.Headers.AccessControlExposeHeaders = "Content-Length, Content-Range, ETag";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading {Path} from the media store failed: {Reason}")]
    private static partial void StoreReadFailed(ILogger logger, string path, string reason);
}
