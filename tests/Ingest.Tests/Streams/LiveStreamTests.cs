using Nio.Ingest.Buffers;
using Nio.Ingest.Media;
using Nio.Ingest.Streams;

namespace Nio.Ingest.Tests.Streams;

/// <summary>Which access units a live stream keeps for readers that join, and that it lets go of every one it kept.</summary>
public sealed class LiveStreamTests
{
    private static readonly TrackFormat Video = TrackFormat.Avc([]);

    [Fact]
    public void A_joining_reader_starts_at_the_latest_keyframe_with_the_tracks_format_and_the_older_group_is_released()
    {
        var stream = new LiveStream(Guid.NewGuid());
        stream.SetFormat(Video);
        var first = Publish(stream, keyframe: true, 0);
        Publish(stream, keyframe: false, 33);
        var second = Publish(stream, keyframe: true, 66);

        Assert.Throws<ObjectDisposedException>(() => first.Data.Length);
        using var subscription = stream.Subscribe();
        Assert.Equal([66L], subscription.Start.Select(unit => unit.Timestamp));
        Assert.Same(second, subscription.Start[0]);
        Assert.Same(Video, Assert.Single(subscription.Formats));
    }

    [Fact]
    public void Units_a_reader_holds_outlive_the_stream_and_the_rest_are_released_when_it_leaves()
    {
        var stream = new LiveStream(Guid.NewGuid());
        stream.SetFormat(Video);
        Publish(stream, keyframe: true, 0);
        var subscription = stream.Subscribe();
        var queued = Publish(stream, keyframe: false, 33);

        stream.End();
        var start = Assert.Single(subscription.Start);
        Assert.Equal([1, 2, 3], start.Data.ToArray());
        start.Release();

        subscription.Dispose();
        Assert.Throws<ObjectDisposedException>(() => queued.Data.Length);
    }

    [Fact]
    public void The_codecs_are_announced_once_at_the_first_video_frame()
    {
        var announced = 0;
        var stream = new LiveStream(Guid.NewGuid(), () => announced++);
        stream.SetFormat(TrackFormat.Opus(2));
        stream.SetFormat(Video);
        stream.Declare(new PublisherMetadata(1280, 720, 30));
        Assert.Null(stream.Codecs);

        Publish(stream, keyframe: true, 0);
        Publish(stream, keyframe: false, 33);

        Assert.Equal(1, announced);
        Assert.Equal(new Nio.Shared.Media.SourceCodecs("avc", "opus", 720, 30), stream.Codecs);
    }

    /// <summary>Writes a picture as a publisher does: its own reference is released once the stream has it.</summary>
    private static AccessUnit Publish(LiveStream stream, bool keyframe, long timestamp)
    {
        var unit = new AccessUnit(Video, timestamp, 0, keyframe, PooledBuffer.CopyOf([1, 2, 3]), 0);
        stream.Write(unit);
        unit.Release();
        return unit;
    }
}
