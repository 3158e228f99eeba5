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
    private readonly List<FifoReader> readers = [];

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
                readers.Add(new FifoReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0)));
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

/// <summary>
/// A pipe's read end whose asynchronous reads wait in the calling thread. A FileStream over a pipe hands each read to
/// another thread-pool thread, which blocks there just the same, and its completion back: two thread wake-ups per
/// read that cost the packager more than its parsing. A reader never waits long: FFmpeg writes every part's media.
/// </summary>
internal sealed class FifoReader(FileStream pipe) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => pipe.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => pipe.Read(buffer);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(pipe.Read(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            pipe.Dispose();
        }

        base.Dispose(disposing);
    }
}
