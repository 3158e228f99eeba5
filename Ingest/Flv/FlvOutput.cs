using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Nio.Ingest.Streams;
using Nio.Shared.Security;

namespace Nio.Ingest.Flv;

/// <summary>
/// The Transcoder's side of the Ingest: <c>GET /live</c> lists the streams being published,
/// <c>GET /live/{streamId}</c> tells the codecs one carries and <c>GET /live/{streamId}.flv</c> serves it as HTTP-FLV
/// (the Transcoder feeds it to FFmpeg). Internal: on the internal listener, for the Transcoder's secret
/// (<c>NIO_TRANSCODER_TO_INGEST_SECRET</c>) only; they take no body.
/// </summary>
public static class FlvOutput
{
    /// <summary>The caller these routes admit (its secret: setting <c>Transcoder:Secret</c>).</summary>
    public const string Caller = "Transcoder";

    public static void MapFlvOutput(this IEndpointRouteBuilder app)
    {
        var live = app.MapGroup("/live").RequireInternalCaller(Caller, maxBodyBytes: 0);
        live.MapGet("", ListLive);
        live.MapGet("/{streamId:guid}.flv", ServeAsync);
        live.MapGet("/{streamId:guid}", DescribeCodecs);
    }

    public static IResult ListLive(MediaHub hub) => TypedResults.Ok(hub.LiveStreamIds);

    /// <summary>The stream's codecs; 404 while it has no publisher or its first video frame has not arrived.</summary>
    public static IResult DescribeCodecs(Guid streamId, MediaHub hub) =>
        hub.TryGetStream(streamId, out var stream) && stream.Codecs is { } codecs
            ? TypedResults.Ok(codecs)
            : TypedResults.Problem("The stream is not being published, or no video has arrived yet.", statusCode: StatusCodes.Status404NotFound);

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
        WriteHeader(body, stream.HasAudio || start.Any(t => t.Type == MediaTag.AudioType), stream.HasVideo || start.Any(t => t.Type == MediaTag.VideoType));
        foreach (var tag in start)
        {
            WriteTag(body, tag);
            tag.Release();
        }

        try
        {
            await body.FlushAsync(context.RequestAborted);
            var live = subscription.Live;
            await foreach (var tag in live.ReadAllAsync(context.RequestAborted))
            {
                WriteTag(body, tag);
                tag.Release();
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
