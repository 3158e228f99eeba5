using System.Buffers;
using Nio.Ingest.Media;

namespace Nio.Ingest.Streams;

/// <summary>A container a live stream is written in for a reader: what a joining reader needs first, then each unit.</summary>
public interface ILiveMediaWriter
{
    /// <summary>The container's header, from what the reader joined with (metadata, track formats).</summary>
    void Begin(LiveStream.Subscription joined);

    void Write(AccessUnit unit);
}

/// <summary>
/// A live stream over HTTP in one container, as the Transcoder reads it (<see cref="Nio.Shared.Media.LiveSourceRoutes.Media"/>):
/// from its latest keyframe on, until the publisher leaves. A reader that falls behind is disconnected.
/// </summary>
public static class LiveMediaOutput
{
    public static async Task<IResult> ServeAsync(
        Guid streamId, HttpContext context, MediaHub hub, string contentType, Func<IBufferWriter<byte>, ILiveMediaWriter> container)
    {
        if (!hub.TryGetStream(streamId, out var stream))
        {
            return TypedResults.Problem("The stream is not being published.", statusCode: StatusCodes.Status404NotFound);
        }

        using var subscription = stream.Subscribe();
        context.Response.ContentType = contentType;
        context.Response.Headers.CacheControl = "no-store";
        var body = context.Response.BodyWriter;
        var writer = container(body);
        writer.Begin(subscription);
        foreach (var unit in subscription.Start)
        {
            writer.Write(unit);
            unit.Release();
        }

        try
        {
            await body.FlushAsync(context.RequestAborted);
            var live = subscription.Live;
            await foreach (var unit in live.ReadAllAsync(context.RequestAborted))
            {
                writer.Write(unit);
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
