using Nio.Shared.LlHls;
using Nio.Shared.Storage;

namespace Nio.Transcoder.Live;

/// <summary>
/// Publishes each rendition's media playlist (with rendition reports of the others) and, once every rendition has a
/// measured segment, the multivariant playlist that lists them.
/// </summary>
public sealed class MasterPlaylist(string prefix, IReadOnlyList<RenditionPackager> renditions, IMediaStore store, IPlaylistListener? listener)
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private bool written;

    public async Task PublishAsync(RenditionPackager changed, bool storeCopy, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            var reports = renditions
                .Where(r => r != changed && r.Playlist is not null)
                .Select(r => RenditionReport.For($"../{r.Rendition.Name}/{MediaUris.Playlist}", r.Playlist!))
                .OfType<RenditionReport>()
                .ToList();
            var text = MediaPlaylistWriter.Write(changed.Playlist!, reports);
            if (storeCopy)
            {
                await store.WriteAsync(changed.PlaylistPath, System.Text.Encoding.UTF8.GetBytes(text), "application/vnd.apple.mpegurl", cancellationToken);
            }

            if (listener is not null)
            {
                await listener.PlaylistChangedAsync(new PlaylistUpdate(changed.PlaylistPath, changed.Playlist!, text), cancellationToken);
            }

            if (!written && Variants(MediaUris.Playlist) is { } variants)
            {
                await store.WriteAsync($"{prefix}/master.m3u8", System.Text.Encoding.UTF8.GetBytes(MultivariantPlaylistWriter.Write(variants)),
                    "application/vnd.apple.mpegurl", cancellationToken);
                written = true;
            }
        }
        finally
        {
            gate.Release();
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
