using System.Buffers;

namespace Nio.Ingest.Buffers;

/// <summary>
/// Bytes in an array rented from <see cref="ArrayPool{T}.Shared"/> (<see cref="RentArray"/>), shared by reference
/// count: a media message is reassembled into one and relayed to the stream's caches and readers without a copy, and
/// the last holder to release it returns the array. Fresh arrays at the media's rate were most of the Ingest's garbage,
/// page faults and collections. A buffer that is never released is collected like any other array.
/// </summary>
public sealed class PooledBuffer
{
    /// <summary>
    /// The largest array kept in the pool for reuse; media messages are smaller. A larger one (a peer's unusually large
    /// message) goes to the garbage collector when returned: the pool, which keeps up to 1024 arrays of each size, would
    /// otherwise hold it long after the connection that needed it is gone.
    /// </summary>
    public const int MaxPooledArrayBytes = 1024 * 1024;

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

    /// <summary>Takes over an array from <see cref="RentArray"/> whose first <paramref name="length"/> bytes are the content.</summary>
    public static PooledBuffer Adopt(byte[] rented, int length) => new(rented, length);

    public static PooledBuffer CopyOf(ReadOnlySpan<byte> bytes)
    {
        var rented = RentArray(bytes.Length);
        bytes.CopyTo(rented);
        return new(rented, bytes.Length);
    }

    /// <summary>An array of at least <paramref name="length"/> bytes, from the shared pool up to <see cref="MaxPooledArrayBytes"/>.</summary>
    public static byte[] RentArray(int length) =>
        length <= MaxPooledArrayBytes ? ArrayPool<byte>.Shared.Rent(length) : GC.AllocateUninitializedArray<byte>(length);

    /// <summary>Gives back an array from <see cref="RentArray"/>.</summary>
    public static void ReturnArray(byte[] array)
    {
        if (array.Length <= MaxPooledArrayBytes)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
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
            ReturnArray(rented);
        }
        else if (left < 0)
        {
            throw new InvalidOperationException("The buffer was released more often than it was retained.");
        }
    }
}
