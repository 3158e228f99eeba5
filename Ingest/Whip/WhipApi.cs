using System.Net;
using System.Text;
using Microsoft.Net.Http.Headers;
using Nio.Ingest.Streams;
using Nio.Ingest.WebRtc;
using Nio.Shared.Security;
using Nio.WebRtc.Sdp;

namespace Nio.Ingest.Whip;

/// <summary>
/// WHIP (RFC 9725) on the Ingest's public HTTP port: <c>POST /whip</c> with an SDP offer and the stream key as bearer
/// token starts a session (201, the answer, its <c>Location</c> and <c>ETag</c>); <c>PATCH</c> takes trickled
/// candidates (an ICE restart is refused with 422); <c>DELETE</c> ends the broadcast. Browsers on other origins may
/// call it (CORS, with <c>Location</c>, <c>ETag</c> and <c>Link</c> exposed).
/// </summary>
public static class WhipApi
{
    /// <summary>The endpoint the Api hands out as a stream's <c>whipUrl</c> (<c>http://HOST:8081/whip</c>).</summary>
    public const string Path = "/whip";

    public const string SdpType = "application/sdp";

    public const string TrickleIceType = "application/trickle-ice-sdpfrag";

    /// <summary>The largest offer or fragment read; a browser's offer is 4–8 KiB.</summary>
    public const int MaxBodyBytes = SessionDescription.MaxLength;

    public static void MapWhip(this IEndpointRouteBuilder app)
    {
        var whip = app.MapGroup(Path).WithTags("WHIP").AddEndpointFilter(async (context, next) =>
        {
            AddCors(context.HttpContext.Response);
            return await next(context);
        });
        whip.MapPost("", PostAsync);
        whip.MapMethods("", [HttpMethods.Options], (HttpContext context) => Options(context, "POST, OPTIONS", acceptPost: true));
        whip.MapPatch("{id}", PatchAsync);
        whip.MapDelete("{id}", DeleteAsync);
        whip.MapMethods("{id}", [HttpMethods.Options], (HttpContext context) => Options(context, "PATCH, DELETE, OPTIONS", acceptPost: false));
    }

    public static async Task<IResult> PostAsync(HttpContext context, WhipSessions sessions)
    {
        if (!HasContentType(context.Request, SdpType))
        {
            return UnsupportedType(SdpType);
        }

        var key = BearerSecret.Presented(context.Request);
        if (key.Length == 0)
        {
            return Unauthorized(context, "Send the stream key as Authorization: Bearer <stream key>.");
        }

        if (await ReadBodyAsync(context.Request, context.RequestAborted) is not { } sdp)
        {
            return TooLarge();
        }

        WhipOffer offer;
        try
        {
            offer = WhipOffer.Parse(sdp);
        }
        catch (SdpException exception) when (exception.Error == SdpError.NoAcceptableMedia)
        {
            return H264Required(exception.Message);
        }
        catch (SdpException exception)
        {
            return TypedResults.Problem(exception.Message, statusCode: StatusCodes.Status400BadRequest, title: "Unusable SDP offer");
        }

        if (offer.Video is not { } video)
        {
            return H264Required("The offer has no H.264 video (packetization-mode=1) NIO can receive; VP8, VP9 and AV1 are not taken.");
        }

        var client = context.Connection.RemoteIpAddress ?? IPAddress.None;
        var start = await sessions.StartAsync(offer, new PeerMedia(video, offer.Audio, offer.Fingerprints), key, client, context.RequestAborted);
        if (start.Session is not { } session)
        {
            return start.Refusal == WhipRefusal.Full
                ? TypedResults.Problem("This Ingest takes no more WHIP sessions now; try again later.", statusCode: StatusCodes.Status503ServiceUnavailable, title: "Too many sessions")
                : start.AdmissionRefusal switch
                {
                    AdmissionRefusal.TooManyRefusedKeys => TypedResults.Problem("Too many refused stream keys from this address; try again in a minute.",
                        statusCode: StatusCodes.Status429TooManyRequests, title: "Too many refused keys"),
                    AdmissionRefusal.KeyCheckUnavailable => TypedResults.Problem("Stream keys cannot be checked right now; try again.",
                        statusCode: StatusCodes.Status503ServiceUnavailable, title: "Key check unavailable"),
                    _ => Unauthorized(context, "Unknown or revoked stream key (an ended stream's key is revoked)."),
                };
        }

        // RFC 9725 §4.2: "201 Created ... the SDP answer in the body and a Location header field pointing to the newly
        // created resource"; the ETag names the ICE session for later PATCH requests (§4.3.1).
        context.Response.Headers.Location = $"{Path}/{session.Id}";
        context.Response.Headers.ETag = session.ETag;
        return TypedResults.Text(start.Answer, SdpType, Encoding.UTF8, StatusCodes.Status201Created);
    }

    public static async Task<IResult> PatchAsync(string id, HttpContext context, WhipSessions sessions)
    {
        if (!sessions.TryGet(id, out var session))
        {
            return NoSession();
        }

        if (!BearerSecret.Matches(context.Request, session.StreamKey))
        {
            return Unauthorized(context, "Send the session's stream key as Authorization: Bearer <stream key>.");
        }

        if (!HasContentType(context.Request, TrickleIceType))
        {
            return UnsupportedType(TrickleIceType);
        }

        // §4.3.1: a fragment for another ICE session than the one the ETag names is refused with 412.
        var ifMatch = context.Request.Headers.IfMatch.ToString();
        if (ifMatch.Length > 0 && ifMatch != "*" && ifMatch != session.ETag)
        {
            return TypedResults.Problem("If-Match names another ICE session.", statusCode: StatusCodes.Status412PreconditionFailed, title: "ICE session changed");
        }

        if (await ReadBodyAsync(context.Request, context.RequestAborted) is not { } body)
        {
            return TooLarge();
        }

        TrickleIceFragment fragment;
        try
        {
            fragment = TrickleIceFragment.Parse(body);
        }
        catch (SdpException exception)
        {
            return TypedResults.Problem(exception.Message, statusCode: StatusCodes.Status400BadRequest, title: "Unusable ICE fragment");
        }

        // §4.3.2: a server that does not support ICE restarts answers one with 422. An ICE-lite server learns the
        // client's addresses from its checks, so trickled candidates need nothing more than this 204.
        return fragment.IsIceRestart(session.Peer.Ice.RemoteUfrag)
            ? TypedResults.Problem("ICE restarts are not supported: DELETE this session and POST a new offer.",
                statusCode: StatusCodes.Status422UnprocessableEntity, title: "ICE restart not supported")
            : TypedResults.NoContent();
    }

    public static async Task<IResult> DeleteAsync(string id, HttpContext context, WhipSessions sessions)
    {
        if (!sessions.TryGet(id, out var session))
        {
            return NoSession();
        }

        if (!BearerSecret.Matches(context.Request, session.StreamKey))
        {
            return Unauthorized(context, "Send the session's stream key as Authorization: Bearer <stream key>.");
        }

        // The broadcast has ended (the Api told) when the answer goes out, as when an RTMP publisher disconnects.
        session.Peer.Close("the publisher ended the session (DELETE)");
        await session.Ended;
        return TypedResults.Ok();
    }

    private static IResult Options(HttpContext context, string methods, bool acceptPost)
    {
        var headers = context.Response.Headers;
        headers.Allow = methods;
        headers.AccessControlAllowMethods = methods;
        headers.AccessControlAllowHeaders = "Authorization, Content-Type, If-Match";
        headers.AccessControlMaxAge = "600";
        if (acceptPost)
        {
            headers["Accept-Post"] = SdpType;
        }

        return TypedResults.NoContent();
    }

    private static void AddCors(HttpResponse response)
    {
        response.Headers.AccessControlAllowOrigin = "*";
        response.Headers.AccessControlExposeHeaders = "Location, ETag, Link";
    }

    private static bool HasContentType(HttpRequest request, string expected) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var type) && type.MediaType.Equals(expected, StringComparison.OrdinalIgnoreCase);

    /// <summary>The body as text, or null when it is longer than <see cref="MaxBodyBytes"/> (read no further).</summary>
    private static async Task<string?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        var buffer = new byte[MaxBodyBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        return length > MaxBodyBytes ? null : Encoding.UTF8.GetString(buffer, 0, length);
    }

    private static IResult Unauthorized(HttpContext context, string detail)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Stream key refused");
    }

    private static IResult H264Required(string detail) =>
        TypedResults.Problem($"NIO needs H.264 video: {detail}", statusCode: StatusCodes.Status406NotAcceptable, title: "H.264 video required");

    private static IResult UnsupportedType(string expected) =>
        TypedResults.Problem($"Send Content-Type: {expected}.", statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported content type");

    private static IResult TooLarge() =>
        TypedResults.Problem($"The body is larger than {MaxBodyBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "Body too large");

    private static IResult NoSession() =>
        TypedResults.Problem("No such WHIP session: it ended, or never existed.", statusCode: StatusCodes.Status404NotFound, title: "Unknown session");
}
