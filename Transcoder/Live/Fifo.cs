using System.Runtime.InteropServices;

namespace Nio.Transcoder.Live;

/// <summary>
/// Named pipes that FFmpeg writes its outputs to (it has one standard output, NIO needs one stream per rendition and
/// one for the thumbnails). They live in a private temporary folder removed on dispose.
/// </summary>
public sealed partial class FifoSet : IDisposable
{
    private const int OpenWriteOnly = 0x1;
    private const int OpenNonBlocking = 0x800;

    private readonly string directory;

    /// <param name="names">File names of the pipes, in the order of <see cref="Paths"/>.</param>
    public FifoSet(IEnumerable<string> names)
    {
        directory = Directory.CreateTempSubdirectory("nio-ladder-").FullName;
        Paths = names.Select(name => Path.Combine(directory, name)).ToList();
        foreach (var path in Paths)
        {
            if (MakeFifo(path, 0b110_000_000) != 0)
            {
                throw new IOException($"mkfifo {path} failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }
    }

    public IReadOnlyList<string> Paths { get; }

    /// <summary>
    /// Unblocks readers still waiting for FFmpeg to open their pipe (it exited first): opening the write end without
    /// blocking lets their open return, and closing it at once gives them end of file.
    /// </summary>
    public void ReleaseWaitingReaders()
    {
        foreach (var path in Paths)
        {
            var descriptor = Open(path, OpenWriteOnly | OpenNonBlocking);
            if (descriptor >= 0)
            {
                Close(descriptor);
            }
        }
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [LibraryImport("libc", EntryPoint = "mkfifo", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MakeFifo(string path, uint mode);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);
}
