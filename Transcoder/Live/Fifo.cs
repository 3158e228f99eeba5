using System.IO.Pipelines;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Nio.Transcoder.Fmp4;

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
/// <para>
/// A pipe has no asynchronous read on Linux that .NET offers (a FileStream blocks a thread-pool thread in each read),
/// so each read end gets a thread of its own (<see cref="FifoReader"/>): no read ever holds a pool thread, however
/// many streams are packaged, and the pool stays free for the pushes to the Origin and the store.
/// </para>
/// </remarks>
public sealed partial class FifoSet : IDisposable
{
    private readonly string directory;
    private readonly List<SafeFileHandle> holders = [];
    private readonly List<FifoReader> readers = [];

    /// <param name="names">File names of the pipes, in the order of <see cref="Readers"/>.</param>
    /// <param name="owner">
    /// Part of the folder's name: whose pipes they are, which FFmpeg's command line then shows (its input is a pipe).
    /// </param>
    public FifoSet(IEnumerable<string> names, string? owner = null)
    {
        directory = Directory.CreateTempSubdirectory(owner is null ? "nio-ladder-" : $"nio-ladder-{owner}-").FullName;
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
                readers.Add(new FifoReader(Path.GetFileName(path), new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0)));
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

    /// <summary>What arrives in each pipe, read by the pipe's own thread; complete at the pipe's end of file.</summary>
    public IReadOnlyList<PipeReader> Readers => [.. readers.Select(reader => reader.Output)];

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
/// One pipe's read end and the thread that reads it. The thread waits in <c>read</c> and hands what it got to
/// <see cref="Output"/>, whose reader's continuation runs inline on this thread: the packager parses and stores a
/// fragment where its bytes arrived, with no thread-pool thread blocked and no hop per read. A continuation that
/// itself waits on something asynchronous (a store over the network) goes on elsewhere while this thread reads on.
/// </summary>
internal sealed class FifoReader : IDisposable
{
    // Far above one fragment (moof + mdat, at most Fmp4Reader.MaxBoxSize): the parser only consumes whole ones, so a
    // lower limit could stop the writer while the reader waits for the rest of a large fragment.
    private const long PauseAt = 2 * Fmp4Reader.MaxBoxSize;

    private readonly FileStream pipe;
    private readonly Pipe buffer = new(new PipeOptions(
        readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline,
        pauseWriterThreshold: PauseAt, resumeWriterThreshold: PauseAt / 2, useSynchronizationContext: false));
    private readonly Thread thread;

    public FifoReader(string name, FileStream pipe)
    {
        this.pipe = pipe;
        thread = new Thread(Run) { IsBackground = true, Name = $"fifo {name}" };
        thread.Start();
    }

    public PipeReader Output => buffer.Reader;

    private void Run()
    {
        var writer = buffer.Writer;
        byte[]? dropped = null;
        try
        {
            while (true)
            {
                Memory<byte> memory = dropped ?? writer.GetMemory(64 * 1024);
                var read = pipe.Read(memory.Span);
                if (read == 0)
                {
                    break;
                }

                if (dropped is not null)
                {
                    // Drained and dropped, so FFmpeg never stalls on a pipe nobody reads (its other outputs go on).
                    continue;
                }

                writer.Advance(read);
                var flush = writer.FlushAsync();
                // Waits only when the consumer is far behind (PauseAt); this thread is its own, not the pool's.
                var result = flush.IsCompleted ? flush.Result : flush.AsTask().GetAwaiter().GetResult();
                if (result.IsCompleted)
                {
                    dropped = new byte[64 * 1024];
                }
            }

            writer.Complete();
        }
        catch (Exception exception)
        {
            writer.Complete(exception);
        }
    }

    public void Dispose()
    {
        // The thread leaves at end of file, which ReleaseReaders brings once FFmpeg is gone; the descriptor is closed
        // only then, never under a read in progress. A consumer's continuation runs on this thread (inline), so the
        // set may be disposed from it: it is not in a read then.
        if (Thread.CurrentThread == thread || thread.Join(TimeSpan.FromSeconds(10)))
        {
            pipe.Dispose();
        }
    }
}
