using Nio.Shared.LlHls;

namespace Nio.Origin.Live;

/// <summary>A <c>GET /live/{streamId}/{rendition}/{file}</c> for a media file: anything there but a playlist.</summary>
public sealed record MediaRequest(Guid StreamId, string Rendition, string File)
{
    public string Path => $"live/{StreamId}/{Rendition}/{File}";

    /// <summary>The rendition's media playlist, whose preload hint may name this file.</summary>
    public string PlaylistPath => $"live/{StreamId}/{Rendition}/{MediaUris.Playlist}";

    /// <summary>
    /// The request's stream, rendition and file, or null when it is not a media GET. The parts are taken as the
    /// request's path gives them; the store's path check still refuses anything that could leave the store.
    /// </summary>
    public static MediaRequest? TryParse(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method) || request.Path.Value is not { } path || !path.StartsWith("/live/", StringComparison.Ordinal))
        {
            return null;
        }

        Span<Range> parts = stackalloc Range[4];
        var rest = path.AsSpan("/live/".Length);
        if (rest.Split(parts, '/') != 3 || !Guid.TryParse(rest[parts[0]], out var streamId))
        {
            return null;
        }

        var file = rest[parts[2]];
        if (file is MediaUris.Playlist or MediaUris.Recording || file.IsEmpty || rest[parts[1]].IsEmpty)
        {
            return null;
        }

        return new MediaRequest(streamId, rest[parts[1]].ToString(), file.ToString());
    }
}
