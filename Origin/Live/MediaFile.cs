using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Nio.Origin.Hosting;

namespace Nio.Origin.Live;

/// <summary>A stored file as the Origin serves it: its bytes and their entity tag, computed once.</summary>
/// <param name="sendable">Keeps a copy that sockets can be sent from without copying (files served many times).</param>
public sealed class MediaFile(byte[] bytes, bool sendable = false)
{
    private readonly string entityTag = $"\"{Convert.ToHexString(SHA256.HashData(bytes).AsSpan(0, 8))}\"";

    public byte[] Bytes { get; } = bytes;

    /// <summary>The in-memory copy the bytes are sent from; null: none was asked for or could be made.</summary>
    public MemoryFile? Sendable { get; } = sendable ? MemoryFile.TryCreate(bytes) : null;

    /// <summary>The memory the file holds: its bytes, and their in-memory copy if it has one.</summary>
    public long Footprint => Bytes.Length + (Sendable?.Length ?? 0);

    /// <summary>
    /// Answers a plain GET (what players send) with the whole file: on HTTP/1.x straight to the socket, from the
    /// in-memory copy by <c>sendfile</c> where there is one (<see cref="DirectSocketOutput"/>); otherwise in one
    /// buffer as large as the file, so the bytes are copied once rather than block by block. Conditional and range
    /// requests go through ASP.NET Core's file result, which implements them.
    /// </summary>
    public IResult Result(HttpRequest request, string contentType) => IsPlainGet(request)
        ? new WholeFileResult(this, contentType)
        : TypedResults.Bytes(Bytes, contentType, entityTag: new EntityTagHeaderValue(entityTag), enableRangeProcessing: true);

    private static bool IsPlainGet(HttpRequest request)
    {
        var headers = request.Headers;
        return headers.Range.Count == 0 && headers.IfRange.Count == 0 && headers.IfMatch.Count == 0 && headers.IfNoneMatch.Count == 0
            && headers.IfModifiedSince.Count == 0 && headers.IfUnmodifiedSince.Count == 0;
    }

    private sealed class WholeFileResult(MediaFile file, string contentType) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            var response = context.Response;
            response.ContentType = contentType;
            response.ContentLength = file.Bytes.Length;
            response.Headers.ETag = file.entityTag;
            response.Headers.AcceptRanges = "bytes";
            // Once the headers are written the response hands out its own buffers; before, it copies block by block.
            await response.StartAsync(context.RequestAborted);
            var body = response.BodyWriter;
            var length = file.Bytes.Length;
            // HTTP/1.x only: an HTTP/2 connection interleaves streams in frames of its own.
            if (context.Features.Get<IFileBodyFeature>() is { } direct && (HttpProtocol.IsHttp11(context.Request.Protocol) || HttpProtocol.IsHttp10(context.Request.Protocol)))
            {
                // The socket takes the bytes from the in-memory copy (or the array); Kestrel is told they were written.
                var minimumRate = context.Features.Get<IHttpMinResponseDataRateFeature>()?.MinDataRate;
                await direct.SendAsync(file.Sendable, file.Bytes, minimumRate, context.RequestAborted);
                body.GetSpan(length);
            }
            else
            {
                file.Bytes.CopyTo(body.GetSpan(length));
            }

            body.Advance(length);
            await body.FlushAsync(context.RequestAborted);
        }
    }
}
