namespace Nio.Shared.Storage;

/// <summary>The embedded default: objects are files under one folder.</summary>
public sealed class LocalDiskMediaStore : IMediaStore
{
    private readonly string root;

    public LocalDiskMediaStore(string rootDirectory)
    {
        root = Path.GetFullPath(rootDirectory);
        Directory.CreateDirectory(root);
    }

    public async Task WriteAsync(string path, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        var file = FullPath(MediaPath.Validate(path));
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        // Written beside the target and renamed over it: readers see the old file or the new one, never half of one.
        var temporary = $"{file}.{Guid.NewGuid():N}.tmp";
        try
        {
            await File.WriteAllBytesAsync(temporary, content, cancellationToken);
            File.Move(temporary, file, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public async Task<byte[]?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(FullPath(MediaPath.Validate(path)), cancellationToken);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            File.Delete(FullPath(MediaPath.Validate(path)));
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing there: deleting a missing object is not an error.
        }

        return Task.CompletedTask;
    }

    // A second guard behind MediaPath: whatever happens, the file is inside the root.
    private string FullPath(string path)
    {
        var full = Path.GetFullPath(Path.Combine(root, path));
        return full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? full
            : throw new ArgumentException($"'{path}' leaves the media store.", nameof(path));
    }
}
