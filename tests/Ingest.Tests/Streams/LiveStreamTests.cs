using Nio.Ingest.Buffers;
using Nio.Ingest.Streams;

namespace Nio.Ingest.Tests.Streams;

/// <summary>Which tags a live stream keeps for readers that join, and that it lets go of every one it kept.</summary>
public sealed class LiveStreamTests
{
    private static readonly byte[] Keyframe = [0x17, 0x01];
    private static readonly byte[] InterFrame = [0x27, 0x01];

    [Fact]
    public void A_joining_reader_starts_at_the_latest_keyframe_and_the_older_group_is_released()
    {
        var stream = new LiveStream(Guid.NewGuid());
        var first = Publish(stream, Keyframe, 0);
        Publish(stream, InterFrame, 33);
        var second = Publish(stream, Keyframe, 66);

        Assert.Throws<ObjectDisposedException>(() => first.Payload.Length);
        using var subscription = stream.Subscribe();
        Assert.Equal([66u], subscription.Start.Select(tag => tag.Timestamp));
        Assert.Same(second, subscription.Start[0]);
    }

    [Fact]
    public void Tags_a_reader_holds_outlive_the_stream_and_the_rest_are_released_when_it_leaves()
    {
        var stream = new LiveStream(Guid.NewGuid());
        Publish(stream, Keyframe, 0);
        var subscription = stream.Subscribe();
        var queued = Publish(stream, InterFrame, 33);

        stream.End();
        var start = Assert.Single(subscription.Start);
        Assert.Equal(Keyframe, start.Payload.ToArray());
        start.Release();

        subscription.Dispose();
        Assert.Throws<ObjectDisposedException>(() => queued.Payload.Length);
    }

    /// <summary>Writes a video tag as a publisher does: its own reference is released once the stream has it.</summary>
    private static MediaTag Publish(LiveStream stream, byte[] payload, uint timestamp)
    {
        var tag = new MediaTag(MediaTag.VideoType, timestamp, PooledBuffer.CopyOf(payload));
        stream.Write(tag);
        tag.Release();
        return tag;
    }
}
