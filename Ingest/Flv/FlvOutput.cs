using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Microsoft.Extensions.Options;
using Nio.Ingest.ApiLink;
using Nio.Ingest.Streams;
using Nio.Shared.Security;

namespace Nio.Ingest.Flv;

/// <summary>
/// The Transcoder's side of the Ingest: <c>GET /live</c> lists the streams being published and
/// <c>GET /live/{streamId}.flv</c> serves one as HTTP-FLV (FFmpeg reads it as its input). Internal: both take the same
/// bearer secret the Ingest presents to the Api.
/// </summary>
public static class FlvOutput
{
    public static void MapFlvOutput(this IEndpointRouteBuilder app)
    {
        app.MapGet("/live", ListLive);
        app.MapGet("/live/{streamId:guid}.flv", ServeAsync);
    }

    public static IResult ListLive(HttpContext context, StreamHub hub, IOptions<ApiLinkOptions> options) =>
        BearerSecret.Matches(context.Request, options.Value.Secret)
            ? TypedResults.Ok(hub.LiveStreamIds)
            : TypedResults.Problem("The Ingest secret is missing or wrong.", statusCode: StatusCodes.Status401Unauthorized);

    public static async Task<IResult> ServeAsync(Guid streamId, HttpContext context, StreamHub hub, IOptions<ApiLinkOptions> options)
    {
        if (!BearerSecret.Matches(context.Request, options.Value.Secret))
        {
            return TypedResults.Problem("The Ingest secret is missing or wrong.", statusCode: StatusCodes.Status401Unauthorized);
        }

        if (!hub.TryGetStream(streamId, out var stream))
        {
            return TypedResults.Problem("The stream is not being published.", statusCode: StatusCodes.Status404NotFound);
        }

        var (start, live) = stream.Subscribe();
        context.Response.ContentType = "video/x-flv";
        context.Response.Headers.CacheControl = "no-store";
        var body = context.Response.BodyWriter;
        WriteHeader(body, stream.HasAudio || start.Any(t => t.Type == MediaTag.AudioType), stream.HasVideo || start.Any(t => t.Type == MediaTag.VideoType));
        foreach (var tag in start)
        {
            WriteTag(body, tag);
        }

        try
        {
            await body.FlushAsync(context.RequestAborted);
            await foreach (var tag in live.ReadAllAsync(context.RequestAborted))
            {
                WriteTag(body, tag);
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

    /// <summary>FLV file header (FLV spec v10 §E.2) and the first PreviousTagSize (0).</summary>
    public static void WriteHeader(IBufferWriter<byte> output, bool audio, bool video)
    {
        var span = output.GetSpan(13);
        "FLV"u8.CopyTo(span);
        span[3] = 1;
        span[4] = (byte)((audio ? 4 : 0) | (video ? 1 : 0));
        BinaryPrimitives.WriteUInt32BigEndian(span[5..], 9);
        BinaryPrimitives.WriteUInt32BigEndian(span[9..], 0);
        output.Advance(13);
    }

    /// <summary>One FLV tag (§E.4.1): type, 24-bit size, 24+8-bit timestamp, stream id 0, body, PreviousTagSize.</summary>
    public static void WriteTag(IBufferWriter<byte> output, MediaTag tag)
    {
        var header = output.GetSpan(11);
        header[0] = tag.Type;
        header[1] = (byte)(tag.Payload.Length >> 16);
        header[2] = (byte)(tag.Payload.Length >> 8);
        header[3] = (byte)tag.Payload.Length;
        header[4] = (byte)(tag.Timestamp >> 16);
        header[5] = (byte)(tag.Timestamp >> 8);
        header[6] = (byte)tag.Timestamp;
        header[7] = (byte)(tag.Timestamp >> 24);
        header[8] = header[9] = header[10] = 0;
        output.Advance(11);
        output.Write(tag.Payload);
        var trailer = output.GetSpan(4);
        BinaryPrimitives.WriteUInt32BigEndian(trailer, (uint)(11 + tag.Payload.Length));
        output.Advance(4);
    }
}
