namespace Nio.Shared.LlHls;

/// <summary>EXT-X-RENDITION-REPORT: where another rendition's live edge is, so a player can switch without a reload.</summary>
public sealed record RenditionReport(string Uri, long LastMsn, int LastPart)
{
    /// <summary>The report for <paramref name="playlist"/> served at <paramref name="uri"/>, or null before its first part.</summary>
    public static RenditionReport? For(string uri, MediaPlaylist playlist) =>
        playlist.LastPart is var (msn, index) ? new RenditionReport(uri, msn, index) : null;
}
