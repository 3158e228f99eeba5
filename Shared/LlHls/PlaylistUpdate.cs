namespace Nio.Shared.LlHls;

/// <summary>
/// What the Transcoder tells the Origin each time a media playlist changes: where it is stored, its state (for
/// blocking reload) and its text. Sent over HTTP, so Transcoder and Origin may run on different machines.
/// </summary>
public sealed record PlaylistUpdate(string Path, MediaPlaylist Playlist, string Text);

/// <summary>Something that wants to know at once when a media playlist changed (the Origin, through HTTP).</summary>
public interface IPlaylistListener
{
    Task PlaylistChangedAsync(PlaylistUpdate update, CancellationToken cancellationToken);
}
