using Microsoft.AspNetCore.Http.Features;

namespace Nio.Api.Http;

public static class RequestBodies
{
    /// <summary>
    /// The body, or null when it is longer than <paramref name="limit"/>. Counted by the bytes read, never more than
    /// the limit and one read: a body without a Content-Length (chunked) or with a false one is capped all the same.
    /// </summary>
    public static async Task<byte[]?> ReadCappedAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        // The server's own cap on every body (1 MiB) is for routes that do not read their body this way; this
        // route's limit is the one that counts, in either direction.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } serverCap)
        {
            serverCap.MaxRequestBodySize = limit + 1L;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[Math.Min(limit + 1, 81920)];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
