using System.Buffers;

namespace Nio.Ingest.Buffers;

/// <summary>
/// Bytes in an array rented from <see cref="ArrayPool{T}.Shared"/>, shared by reference count: a media message is
/// reassembled into one and relayed to the stream's caches and readers without a copy, and the last holder to
/// release it returns the array. Fresh arrays at the media's rate were most of the Ingest's garbage, page faults and
/// collections. A buffer that is never released is collected like any other array.
/// </summary>
public sealed class PooledBuffer
{
    private byte[]? array;
    private int references = 1;

    private PooledBuffer(byte[] array, int length)
    {
        this.array = array;
        Length = length;
    }

    public int Length { get; }

    /// <summary>The bytes; only for a holder, who has not released its reference yet.</summary>
    public ReadOnlySpan<byte> Span => (array ?? throw new ObjectDisposedException(nameof(PooledBuffer))).AsSpan(0, Length);

    /// <summary>Takes over an array rented from the shared pool whose first <paramref name="length"/> bytes are the content.</summary>
    public static PooledBuffer Adopt(byte[] rented, int length) => new(rented, length);

    public static PooledBuffer CopyOf(ReadOnlySpan<byte> bytes)
    {
        var rented = ArrayPool<byte>.Shared.Rent(bytes.Length);
        bytes.CopyTo(rented);
        return new(rented, bytes.Length);
    }

    /// <summary>Adds a holder, who must call <see cref="Release"/> once done; the creator holds the first reference.</summary>
    public PooledBuffer Retain()
    {
        while (true)
        {
            var held = Volatile.Read(ref references);
            if (held <= 0)
            {
                throw new InvalidOperationException("The buffer was retained after its last release.");
            }

            if (Interlocked.CompareExchange(ref references, held + 1, held) == held)
            {
                return this;
            }
        }
    }

    public void Release()
    {
        var left = Interlocked.Decrement(ref references);
        if (left == 0)
        {
            var rented = array!;
            array = null;
            ArrayPool<byte>.Shared.Return(rented);
        }
        else if (left < 0)
        {
            throw new InvalidOperationException("The buffer was released more often than it was retained.");
        }
    }
}
