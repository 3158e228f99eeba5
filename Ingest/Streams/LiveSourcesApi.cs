using System.Buffers;
using System.Text.Json;
using Nio.Ingest.Flv;
using Nio.Ingest.Matroska;
using Nio.Shared.Media;
using Nio.Shared.Security;

namespace Nio.Ingest.Streams;

/// <summary>
/// The Transcoder's side of the Ingest (<see cref="LiveSourceRoutes"/>): which streams are live and what they carry,
/// pushed down a request the Transcoder holds open, and each stream's media. Internal: on the internal listener, for
/// the Transcoder's secret (<c>NIO_TRANSCODER_TO_INGEST_SECRET</c>) only; they take no body.
/// </summary>
public static class LiveSourcesApi
{
    /// <summary>The caller these routes admit (its secret: setting <c>Transcoder:Secret</c>).</summary>
    public const string Caller = "Transcoder";

    public static void MapLiveSources(this IEndpointRouteBuilder app)
    {
        var live = app.MapGroup("").RequireInternalCaller(Caller, maxBodyBytes: 0);
        live.MapGet(LiveSourceRoutes.List, List);
        live.MapGet(LiveSourceRoutes.Watch, WatchAsync);
        live.MapGet(LiveSourceRoutes.FlvPattern, (Guid streamId, HttpContext context, MediaHub hub) =>
            LiveMediaOutput.ServeAsync(streamId, context, hub, "video/x-flv", output => new FlvWriter(output)));
        live.MapGet(LiveSourceRoutes.MatroskaPattern, (Guid streamId, HttpContext context, MediaHub hub) =>
            LiveMediaOutput.ServeAsync(streamId, context, hub, "video/x-matroska", output => new MatroskaWriter(output)));
    }

    public static IResult List(MediaHub hub) => TypedResults.Json(hub.LiveSources, LiveSourceRoutes.Json);

    /// <summary>
    /// One line of JSON with the live streams at once, then at each change and at least every
    /// <see cref="LiveSourceRoutes.ResendInterval"/>, until the Transcoder hangs up or the Ingest stops.
    /// </summary>
    public static async Task<IResult> WatchAsync(HttpContext context, MediaHub hub, IHostApplicationLifetime lifetime)
    {
        context.Response.ContentType = "application/x-ndjson";
        context.Response.Headers.CacheControl = "no-store";
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var body = context.Response.BodyWriter;
        try
        {
            while (true)
            {
                var (now, changed) = hub.Watch();
                using (var json = new Utf8JsonWriter(body))
                {
                    JsonSerializer.Serialize(json, now, LiveSourceRoutes.Json);
                }

                body.Write("\n"u8);
                await body.FlushAsync(stop.Token);
                await Task.WhenAny(changed, Task.Delay(LiveSourceRoutes.ResendInterval, stop.Token));
                stop.Token.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The Transcoder hung up, or the Ingest stops: the Transcoder reconnects to whichever Ingest comes up.
        }

        return TypedResults.Empty;
    }
}
