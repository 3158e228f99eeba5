using Nio.Api.Streams;

namespace Nio.Api.Tests.Streams;

/// <summary>Warnings, aging and the latency estimate, from fixed rows.</summary>
public sealed class StreamHealthTests
{
    private static readonly DateTime Now = new(2026, 12, 3, 12, 0, 0, DateTimeKind.Utc);
    private static readonly StreamHealthOptions Options = new();

    private static StreamHealthRow LiveRow => new()
    {
        Status = StreamStatus.Live,
        Now = Now,
        ReportedAt = Now.AddSeconds(-2),
        SecondsSinceLastMedia = 0.5,
        VideoCodec = "H.264",
        KeyframeIntervalSeconds = 2,
        AudioCodec = "AAC-LC",
    };

    [Fact]
    public void The_reported_silence_is_aged_by_the_time_since_the_report()
    {
        var view = StreamHealth.From(Guid.NewGuid(), LiveRow, Options);

        Assert.Equal(2.5, view.SecondsSinceLastMedia);
        Assert.Empty(view.Warnings);
    }

    [Fact]
    public void A_live_stream_silent_for_over_five_seconds_warns_no_recent_media()
    {
        var view = StreamHealth.From(Guid.NewGuid(), LiveRow with { ReportedAt = Now.AddSeconds(-5) }, Options);

        Assert.Equal([StreamHealth.NoRecentMedia], view.Warnings);
    }

    [Fact]
    public void An_offline_stream_is_not_warned_about_silence_and_has_no_estimate()
    {
        var view = StreamHealth.From(Guid.NewGuid(), LiveRow with { Status = StreamStatus.Offline, ReportedAt = Now.AddMinutes(-5) }, Options);

        Assert.False(view.Live);
        Assert.Empty(view.Warnings);
        Assert.Null(view.GlassToGlassEstimateSeconds);
    }

    [Theory]
    [InlineData(2.0, false)]
    [InlineData(2.04, true)]
    [InlineData(5.0, true)]
    public void Keyframes_more_than_two_seconds_apart_warn(double interval, bool warns)
    {
        var view = StreamHealth.From(Guid.NewGuid(), LiveRow with { KeyframeIntervalSeconds = interval }, Options);

        Assert.Equal(warns, view.Warnings.Contains(StreamHealth.KeyframeIntervalTooLong));
    }

    [Fact]
    public void A_report_with_neither_track_warns_of_both()
    {
        var view = StreamHealth.From(Guid.NewGuid(), LiveRow with { VideoCodec = null, AudioCodec = null, SecondsSinceLastMedia = null }, Options);

        Assert.Equal([StreamHealth.NoAudio, StreamHealth.NoVideo], view.Warnings);
        Assert.Null(view.GlassToGlassEstimateSeconds);
    }

    [Fact]
    public void A_re_encoded_source_warns_and_its_estimate_counts_the_keyframes_the_transcoder_makes()
    {
        var view = StreamHealth.From(Guid.NewGuid(), LiveRow with { KeyframeIntervalSeconds = 8.3, SourceReencodedSecondsWithoutKeyframe = 1.25 }, Options);

        Assert.Equal([StreamHealth.KeyframeIntervalTooLong, StreamHealth.SourceReencoded], view.Warnings);
        Assert.Equal(new Nio.Shared.Media.SourceReencodedReport(1.25), view.SourceReencoded);

        // PART-HOLD-BACK 0.75 s + half of the 1 s segment target, not of the publisher's 8.3 s.
        Assert.Equal(1.25, view.GlassToGlassEstimateSeconds);
    }

    [Theory]
    [InlineData(0.25, 2.0, 1.75)]
    [InlineData(0.25, 1.0, 1.25)]
    [InlineData(0.5, 5.0, 4.0)]
    public void The_estimate_is_part_hold_back_plus_half_a_keyframe_interval(double partTarget, double keyframeInterval, double expected)
    {
        Assert.Equal(expected, StreamHealth.GlassToGlassEstimateSeconds(partTarget, keyframeInterval));
    }
}
