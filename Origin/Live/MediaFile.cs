using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Nio.Origin.Hosting;

namespace Nio.Origin.Live;

/// <summary>
/// A stored file as the Origin serves it: its bytes, and their entity tag computed once. A file served many times
/// (<see cref="Shared"/>) keeps its bytes in an in-memory file, which <c>sendfile</c> hands to sockets without copying
/// and which the garbage collector never has to carry: the cache's churn then leaves no dead arrays behind to grow the
/// heap. Such a file is held (<see cref="TryHold"/>) for each response and let go (<see cref="Evict"/>) when it leaves
/// the cache; its memory goes when the last response holding it ends.
/// </summary>
public sealed class MediaFile
{
    // Exactly one of the two holds the bytes.
    private readonly byte[]? bytes;
    private readonly MemoryFile? memory;
    private readonly string entityTag;

    /// <summary>A file served once: its bytes stay in the array.</summary>
    public MediaFile(byte[] bytes) : this(bytes, null, bytes)
    {
    }

    private MediaFile(byte[]? bytes, MemoryFile? memory, ReadOnlySpan<byte> content)
    {
        this.bytes = bytes;
        this.memory = memory;
        Length = content.Length;
        entityTag = $"\"{Convert.ToHexString(SHA256.HashData(content).AsSpan(0, 8))}\"";
    }

    /// <summary>
    /// A file to keep and serve many times: its bytes move into an in-memory file, and the array is let go. Where none
    /// can be made (not Linux, too many open, no memory for one) the array is kept instead.
    /// </summary>
    public static MediaFile Shared(byte[] bytes) =>
        MemoryFile.TryCreate(bytes) is { } memory ? new MediaFile(null, memory, bytes) : new MediaFile(bytes);

    public int Length { get; }

    /// <summary>Holds the bytes for one response until <see cref="Release"/>; false when the file was evicted meanwhile.</summary>
    public bool TryHold() => memory is null || memory.TryLease(out _);

    public void Release() => memory?.EndLease();

    /// <summary>Lets the in-memory file go: at once when no response holds it, otherwise when the last one ends.</summary>
    public void Evict() => memory?.Dispose();

    /// <summary>
    /// Answers a plain GET (what players send) with the whole file: on HTTP/1.x straight to the socket, from the
    /// in-memory file by <c>sendfile</c> where there is one (<see cref="DirectSocketOutput"/>); otherwise in one
    /// buffer as large as the file, so the bytes are copied once rather than block by block. Conditional and range
    /// requests go through ASP.NET Core's file result, which implements them. The file is held by the caller.
    /// </summary>
    public IResult Result(HttpRequest request, string contentType) => IsPlainGet(request)
        ? new WholeFileResult(this, contentType)
        : TypedResults.Bytes(ToArray(), contentType, entityTag: new EntityTagHeaderValue(entityTag), enableRangeProcessing: true);

    /// <summary>The bytes in an array: the file's own, or a copy out of its in-memory file (which the caller holds).</summary>
    public byte[] ToArray()
    {
        if (bytes is not null)
        {
            return bytes;
        }

        var copy = new byte[Length];
        CopyTo(copy);
        return copy;
    }

    private void CopyTo(Span<byte> destination)
    {
        if (memory is not null)
        {
            memory.Read(destination[..Length], 0);
        }
        else
        {
            bytes.CopyTo(destination);
        }
    }

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
            response.ContentLength = file.Length;
            response.Headers.ETag = file.entityTag;
            response.Headers.AcceptRanges = "bytes";
            // Once the headers are written the response hands out its own buffers; before, it copies block by block.
            await response.StartAsync(context.RequestAborted);
            var body = response.BodyWriter;
            var length = file.Length;
            // HTTP/1.x only: an HTTP/2 connection interleaves streams in frames of its own.
            if (context.Features.Get<IFileBodyFeature>() is { } direct && (HttpProtocol.IsHttp11(context.Request.Protocol) || HttpProtocol.IsHttp10(context.Request.Protocol)))
            {
                // The socket takes the bytes from the in-memory file (or the array); Kestrel is told they were written.
                var minimumRate = context.Features.Get<IHttpMinResponseDataRateFeature>()?.MinDataRate;
                await direct.SendAsync(file.memory, file.bytes, minimumRate, context.RequestAborted);
                body.GetSpan(length);
            }
            else
            {
                file.CopyTo(body.GetSpan(length));
            }

            body.Advance(length);
            await body.FlushAsync(context.RequestAborted);
        }
    }
}
