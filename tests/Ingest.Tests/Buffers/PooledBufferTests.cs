using Nio.Ingest.Buffers;

namespace Nio.Ingest.Tests.Buffers;

/// <summary>A pooled buffer goes back to the pool exactly once, after its last holder lets go.</summary>
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
}
