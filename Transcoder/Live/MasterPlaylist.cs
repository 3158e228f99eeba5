using Nio.Shared.LlHls;
using Nio.Shared.Storage;

namespace Nio.Transcoder.Live;

/// <summary>
/// Publishes each rendition's media playlist (with rendition reports of the others) and, once every rendition has a
/// measured segment, the multivariant playlist that lists them.
/// </summary>
/// <remarks>
/// Renditions publish independently: each one's packager calls <see cref="PublishAsync"/> for its own playlist, one
/// change after another, and reads the others' playlists only as immutable snapshots. Nothing here waits for another
/// rendition, and the push to the Origin goes on the rendition's own lane (<see cref="PlaylistPushes"/>).
/// </remarks>
public sealed class MasterPlaylist(string prefix, IReadOnlyList<RenditionPackager> renditions, IMediaStore store, PlaylistPushes? pushes)
{
    private readonly SemaphoreSlim masterGate = new(1, 1);
    private volatile bool written;

    /// <summary>
    /// The new playlist of <paramref name="changed"/>, whose media files are already stored: the stored copy (with
    /// <paramref name="storeCopy"/>), then the push. Called by one rendition's packager at a time for that rendition.
    /// </summary>
    public async Task PublishAsync(RenditionPackager changed, bool storeCopy, CancellationToken cancellationToken)
    {
        var playlist = changed.Playlist!;
        var reports = renditions
            .Where(r => r != changed)
            .Select(r => r.Playlist is { } other ? RenditionReport.For($"../{r.Rendition.Name}/{MediaUris.Playlist}", other) : null)
            .OfType<RenditionReport>()
            .ToList();
        var text = MediaPlaylistWriter.Write(playlist, reports);
        if (storeCopy)
        {
            await store.WriteAsync(changed.PlaylistPath, System.Text.Encoding.UTF8.GetBytes(text), "application/vnd.apple.mpegurl", cancellationToken);
        }

        pushes?.Push(new PlaylistUpdate(changed.PlaylistPath, playlist, text));
        if (!written)
        {
            await WriteMasterAsync(cancellationToken);
        }
    }

    private async Task WriteMasterAsync(CancellationToken cancellationToken)
    {
        await masterGate.WaitAsync(cancellationToken);
        try
        {
            if (!written && Variants(MediaUris.Playlist) is { } variants)
            {
                await store.WriteAsync($"{prefix}/master.m3u8", System.Text.Encoding.UTF8.GetBytes(MultivariantPlaylistWriter.Write(variants)),
                    "application/vnd.apple.mpegurl", cancellationToken);
                written = true;
            }
        }
        finally
        {
            masterGate.Release();
        }
    }

    /// <summary>
    /// Each rendition as the multivariant playlist lists it, pointing at its media playlist named
    /// <paramref name="playlistName"/>; null until every rendition has an init segment and a measured segment.
    /// </summary>
    public List<Variant>? Variants(string playlistName) => renditions.All(r => r.Init is not null && r.Measured is not null)
        ? renditions.Select(r =>
        {
            var video = r.Init!.Tracks.OfType<Fmp4.VideoTrack>().First();
            var measured = r.Measured!.Value;
            return new Variant($"{r.Rendition.Name}/{playlistName}", measured.Peak, measured.Average, video.Width, video.Height, r.Init.Codecs, measured.FrameRate);
        }).OrderByDescending(v => v.Bandwidth).ToList()
        : null;
}
