using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Nio.Transcoder.Live;

/// <summary>
/// Named pipes that FFmpeg writes its outputs to (it has one standard output, NIO needs one stream per rendition and
/// one for the thumbnails). They live in a private temporary folder removed on dispose.
/// </summary>
/// <remarks>
/// Opening a pipe's read end waits for a writer, and FFmpeg may exit (bad input, killed) before it opens its outputs:
/// a reader opened the plain way could then wait forever. So every pipe also gets a write end of NIO's own, opened
/// read-write (which never waits on Linux) before anything else: the read ends open at once, FFmpeg's open finds its
/// reader, and nobody sees end of file before <see cref="ReleaseReaders"/> closes NIO's write ends.
/// </remarks>
public sealed partial class FifoSet : IDisposable
{
    private readonly string directory;
    private readonly List<SafeFileHandle> holders = [];
    private readonly List<FileStream> readers = [];

    /// <param name="names">File names of the pipes, in the order of <see cref="Readers"/>.</param>
    public FifoSet(IEnumerable<string> names)
    {
        directory = Directory.CreateTempSubdirectory("nio-ladder-").FullName;
        try
        {
            Paths = names.Select(name => Path.Combine(directory, name)).ToList();
            foreach (var path in Paths)
            {
                if (MakeFifo(path, 0b110_000_000) != 0)
                {
                    throw new IOException($"mkfifo {path} failed: errno {Marshal.GetLastPInvokeError()}");
                }

                holders.Add(File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite));
                readers.Add(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0));
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Where FFmpeg writes, in the order the names were given.</summary>
    public IReadOnlyList<string> Paths { get; } = [];

    /// <summary>The read end of each pipe, already open.</summary>
    public IReadOnlyList<Stream> Readers => readers;

    /// <summary>
    /// Call once FFmpeg has exited: each reader then reaches end of file after the last byte FFmpeg wrote, including
    /// the readers of outputs FFmpeg never opened.
    /// </summary>
    public void ReleaseReaders()
    {
        holders.ForEach(holder => holder.Dispose());
    }

    public void Dispose()
    {
        ReleaseReaders();
        readers.ForEach(reader => reader.Dispose());
        Directory.Delete(directory, recursive: true);
    }

    [LibraryImport("libc", EntryPoint = "mkfifo", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MakeFifo(string path, uint mode);
}
