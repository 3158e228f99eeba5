using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace Nio.Origin.Live;

/// <summary>A stored file as the Origin serves it: its bytes and their entity tag, computed once.</summary>
public sealed class MediaFile(byte[] bytes)
{
    private readonly string entityTag = $"\"{Convert.ToHexString(SHA256.HashData(bytes).AsSpan(0, 8))}\"";

    public byte[] Bytes { get; } = bytes;

    /// <summary>
    /// Answers a plain GET (what players send) with the whole file, asking the response for one buffer as large as
    /// the file, so the bytes are copied once rather than block by block. Conditional and range requests go through
    /// ASP.NET Core's file result, which implements them.
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
            file.Bytes.CopyTo(body.GetSpan(file.Bytes.Length));
            body.Advance(file.Bytes.Length);
            await body.FlushAsync(context.RequestAborted);
        }
    }
}
