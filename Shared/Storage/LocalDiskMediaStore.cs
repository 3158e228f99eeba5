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

    public Task WriteAsync(string path, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var file = FullPath(MediaPath.Validate(path));
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        // Written beside the target and renamed over it: readers see the old file or the new one, never half of one.
        var temporary = $"{file}.{Guid.NewGuid():N}.tmp";
        try
        {
            // Written in place, not through File.WriteAllBytesAsync: on Unix that only hands the same blocking write
            // to another pool thread, and its FileMode.Create truncates the new file, which makes ext4 flush it on
            // close. A live stream writes several files a second, so both cost real CPU; the name is new anyway.
            using (var handle = File.OpenHandle(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                RandomAccess.Write(handle, content.Span, fileOffset: 0);
            }

            File.Move(temporary, file, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }

        return Task.CompletedTask;
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
