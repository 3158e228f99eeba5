using Nio.Ingest.Media;
using Nio.Ingest.Streams;

namespace Nio.Ingest.Flv;

/// <summary>
/// A live stream as HTTP-FLV, as the Transcoder reads it (<see cref="Nio.Shared.Media.LiveSourceRoutes.Media"/>):
/// written from the stream's access units, from its latest keyframe on, until the publisher leaves.
/// </summary>
public static class FlvOutput
{
    public static async Task<IResult> ServeAsync(Guid streamId, HttpContext context, MediaHub hub)
    {
        if (!hub.TryGetStream(streamId, out var stream))
        {
            return TypedResults.Problem("The stream is not being published.", statusCode: StatusCodes.Status404NotFound);
        }

        using var subscription = stream.Subscribe();
        var start = subscription.Start;
        context.Response.ContentType = "video/x-flv";
        context.Response.Headers.CacheControl = "no-store";
        var body = context.Response.BodyWriter;
        var flv = new FlvWriter(body);
        var formats = subscription.Formats;
        FlvWriter.WriteHeader(body, formats.Any(f => f.Kind == MediaKind.Audio), formats.Any(f => f.Kind == MediaKind.Video));
        flv.WriteMetadata(subscription.Metadata);
        var firstTimestamp = start.Count > 0 ? start[0].Timestamp : 0;
        foreach (var format in formats)
        {
            flv.WriteFormat(format, firstTimestamp);
        }

        foreach (var unit in start)
        {
            flv.Write(unit);
            unit.Release();
        }

        try
        {
            await body.FlushAsync(context.RequestAborted);
            var live = subscription.Live;
            await foreach (var unit in live.ReadAllAsync(context.RequestAborted))
            {
                flv.Write(unit);
                unit.Release();
                if (!live.TryPeek(out _))
                {
                    await body.FlushAsync(context.RequestAborted);
                }
            }
        }
        catch (ReaderTooSlowException)
        {
            context.Abort();
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The reader left.
        }

        return TypedResults.Empty;
    }
}
