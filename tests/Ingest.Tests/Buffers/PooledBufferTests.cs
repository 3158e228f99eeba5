using Nio.Ingest.Buffers;

namespace Nio.Ingest.Tests.Buffers;

/// <summary>A pooled buffer goes back to the pool exactly once, after its last holder lets go; only arrays of a media message's size are kept.</summary>
public sealed class PooledBufferTests
{
    [Fact]
    public void The_bytes_stay_readable_until_the_last_holder_releases()
    {
        var buffer = PooledBuffer.CopyOf([1, 2, 3]);
        buffer.Retain();

        buffer.Release();
        Assert.Equal([1, 2, 3], buffer.Span.ToArray());

        buffer.Release();
        Assert.Throws<ObjectDisposedException>(() => buffer.Span.Length);
    }

    [Fact]
    public void Retaining_after_the_last_release_or_releasing_too_often_is_refused()
    {
        var buffer = PooledBuffer.CopyOf([1]);
        buffer.Release();

        Assert.Throws<InvalidOperationException>(() => buffer.Retain());
        Assert.Throws<InvalidOperationException>(buffer.Release);
    }

    [Fact]
    public void Arrays_larger_than_the_pooled_size_go_to_the_garbage_collector_not_back_to_the_pool()
    {
        var large = PooledBuffer.RentArray(2 * PooledBuffer.MaxPooledArrayBytes);
        PooledBuffer.ReturnArray(large);
        Assert.NotSame(large, PooledBuffer.RentArray(2 * PooledBuffer.MaxPooledArrayBytes));

        var small = PooledBuffer.RentArray(1000);
        PooledBuffer.ReturnArray(small);
        Assert.Same(small, PooledBuffer.RentArray(1000));
    }
}
