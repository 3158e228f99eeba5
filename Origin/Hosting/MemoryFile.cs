using System.Runtime.InteropServices;

namespace Nio.Origin.Hosting;

/// <summary>
/// A copy of a file's bytes in an anonymous in-memory file (Linux <c>memfd</c>), which <c>sendfile</c> hands to a
/// socket by reference instead of copying the bytes into the socket's buffers. Bytes the kernel is still sending stay
/// valid after the file is let go: it holds its own references to the pages.
/// </summary>
public sealed partial class MemoryFile : IDisposable
{
    // Each copy holds a file descriptor: at most a quarter of the process's limit, so that sockets never run short.
    private static readonly long MaxOpen = OperatingSystem.IsLinux() && GetResourceLimit(OpenFilesLimit, out var limit) == 0 ? (long)Math.Min(limit.Current / 4, int.MaxValue) : 0;
    private static long open;

    private readonly Descriptor descriptor;

    private MemoryFile(Descriptor descriptor, int length)
    {
        this.descriptor = descriptor;
        Length = length;
    }

    public int Length { get; }

    /// <summary>
    /// The copy, or null where none can be made (not Linux, too many open, no memory for it): the caller then sends
    /// the bytes the ordinary way.
    /// </summary>
    public static MemoryFile? TryCreate(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return null;
        }

        if (Interlocked.Increment(ref open) > MaxOpen)
        {
            Interlocked.Decrement(ref open);
            return null;
        }

        var descriptor = new Descriptor(MemfdCreate("nio-media", CloseOnExec));
        if (descriptor.IsInvalid)
        {
            Interlocked.Decrement(ref open);
            return null;
        }

        var written = 0;
        while (written < bytes.Length)
        {
            var count = PositionalWrite(descriptor, ref MemoryMarshal.GetReference(bytes[written..]), bytes.Length - written, written);
            if (count <= 0 && !(count < 0 && Marshal.GetLastPInvokeError() == Interrupted))
            {
                descriptor.Dispose();
                return null;
            }

            written += (int)Math.Max(count, 0);
        }

        return new MemoryFile(descriptor, bytes.Length);
    }

    /// <summary>
    /// Lends the descriptor for one send; false when the file was let go meanwhile. Until <see cref="EndLease"/>, a
    /// <see cref="Dispose"/> waits to close it, so the number is never reused under the send.
    /// </summary>
    public bool TryLease(out nint fd)
    {
        var added = false;
        try
        {
            descriptor.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
        }

        fd = added ? descriptor.DangerousGetHandle() : -1;
        return added;
    }

    public void EndLease() => descriptor.DangerousRelease();

    /// <summary>Copies bytes from <paramref name="offset"/> on into <paramref name="destination"/>; the caller holds a lease.</summary>
    public void Read(Span<byte> destination, long offset)
    {
        var read = 0;
        while (read < destination.Length)
        {
            var count = PositionalRead(descriptor, ref MemoryMarshal.GetReference(destination[read..]), destination.Length - read, offset + read);
            if (count > 0)
            {
                read += (int)count;
            }
            else if (!(count < 0 && Marshal.GetLastPInvokeError() == Interrupted))
            {
                throw new IOException($"Reading an in-memory file failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
    }

    public void Dispose() => descriptor.Dispose();

    private const uint CloseOnExec = 1;
    private const int OpenFilesLimit = 7;
    private const int Interrupted = 4;

    private sealed class Descriptor : SafeHandle
    {
        public Descriptor(int fd) : base(-1, ownsHandle: true) => SetHandle(fd);

        public override bool IsInvalid => handle < 0;

        protected override bool ReleaseHandle()
        {
            Interlocked.Decrement(ref open);
            return CloseDescriptor((int)handle) == 0;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct ResourceLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [LibraryImport("libc", EntryPoint = "memfd_create", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MemfdCreate(string name, uint flags);

    [LibraryImport("libc", EntryPoint = "pwrite", SetLastError = true)]
    private static partial nint PositionalWrite(SafeHandle fd, ref byte buffer, nint count, long offset);

    [LibraryImport("libc", EntryPoint = "pread", SetLastError = true)]
    private static partial nint PositionalRead(SafeHandle fd, ref byte buffer, nint count, long offset);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int CloseDescriptor(int fd);

    [LibraryImport("libc", EntryPoint = "getrlimit")]
    private static partial int GetResourceLimit(int resource, out ResourceLimit limit);
}
