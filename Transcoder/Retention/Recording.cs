using System.Text;
using System.Text.Json;
using Nio.Shared.LlHls;
using Nio.Shared.Storage;
using Nio.Transcoder.Live;

namespace Nio.Transcoder.Retention;

/// <summary>
/// A recorded stream's video on demand, rewritten when each broadcast ends: per rendition a VOD playlist of every
/// segment of every broadcast so far (a discontinuity between broadcasts), and a multivariant playlist over them. The
/// store cannot list, so the segments of earlier broadcasts are kept as JSON under <c>recordings/</c>, which the Origin
/// never serves.
/// </summary>
public static class Recording
{
    public static string StatePath(Guid streamId, Rendition rendition) => $"recordings/{streamId}/{rendition.Name}.json";

    /// <summary>Adds the broadcast to the recording; false when it has nothing to add (no rendition has a measured segment).</summary>
    public static async Task<bool> AddBroadcastAsync(
        IMediaStore store, Guid streamId, IReadOnlyList<RenditionPackager> renditions, MasterPlaylist master, CancellationToken cancellationToken)
    {
        if (master.Variants(MediaUris.Recording) is not { } variants)
        {
            return false;
        }

        foreach (var rendition in renditions)
        {
            var state = StatePath(streamId, rendition.Rendition);
            var earlier = await store.ReadAsync(state, cancellationToken) is { } json
                ? JsonSerializer.Deserialize<List<RecordedSegment>>(json) ?? []
                : [];
            var broadcast = rendition.Recorded.ToList();
            if (earlier.Count > 0 && broadcast.Count > 0)
            {
                broadcast[0] = broadcast[0] with { Discontinuity = true };
            }

            List<RecordedSegment> all = [.. earlier, .. broadcast];
            // The state first: if the playlist write fails, the next broadcast's rewrite still includes this one.
            await store.WriteAsync(state, JsonSerializer.SerializeToUtf8Bytes(all), "application/json", cancellationToken);
            await store.WriteAsync($"{rendition.Folder}/{MediaUris.Recording}", Encoding.UTF8.GetBytes(VodPlaylistWriter.Write(all)),
                "application/vnd.apple.mpegurl", cancellationToken);
        }

        await store.WriteAsync($"{LivePackager.Prefix(streamId)}/{MediaUris.Recording}", Encoding.UTF8.GetBytes(MultivariantPlaylistWriter.Write(variants)),
            "application/vnd.apple.mpegurl", cancellationToken);
        return true;
    }
}
