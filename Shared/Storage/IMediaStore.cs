namespace Nio.Shared.Storage;

/// <summary>Where playlists, init segments, parts and segments live; paths are checked by <see cref="MediaPath"/>.</summary>
public interface IMediaStore
{
    /// <summary>Stores the whole object atomically: a reader sees the old object, or the new one complete, never a part.</summary>
    Task WriteAsync(string path, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken);

    /// <summary>The object's bytes, or null when it does not exist.</summary>
    Task<byte[]?> ReadAsync(string path, CancellationToken cancellationToken);

    /// <summary>Deleting a missing object is not an error.</summary>
    Task DeleteAsync(string path, CancellationToken cancellationToken);
}
