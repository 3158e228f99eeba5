using Nio.Shared.LlHls;
using Nio.Transcoder.Live;

namespace Nio.Transcoder.Tests.Live;

/// <summary>
/// PART-TARGET in whole frames of the source, and the fragment duration that makes FFmpeg cut every part at exactly
/// that many frames: parts never longer than PART-TARGET (RFC 8216bis 4.4.4.9) and never far below it.
/// </summary>
public sealed class PartTimingTests
{
    [Theory]
    [InlineData(30.0, 0.2)]
    [InlineData(25.0, 0.2)]
    [InlineData(50.0, 0.2)]
    [InlineData(60.0, 0.2)]
    [InlineData(24.0, 0.209)]
    [InlineData(30000 / 1001.0, 0.201)]
    [InlineData(24000 / 1001.0, 0.209)]
    [InlineData(2.0, 0.5)]
    public void The_target_is_the_whole_number_of_frames_nearest_the_preferred_one_to_the_millisecond_above(double frameRate, double target) =>
        Assert.Equal(target, PartTiming.TargetSeconds(0.2, frameRate), 9);

    [Theory]
    [InlineData(null)]
    [InlineData(0.0)]
    [InlineData(1000.0)]
    [InlineData(double.NaN)]
    public void Without_a_plausible_frame_rate_the_target_leaves_room_for_a_frame(double? frameRate) =>
        Assert.Equal(0.25, PartTiming.TargetSeconds(0.2, frameRate), 9);

    /// <summary>
    /// FFmpeg's rule: a new fragment starts with the first packet of any track at least the fragment duration after
    /// that track's first in the fragment. Video frames and AAC frames (1024 samples) in whole milliseconds, as RTMP
    /// carries them, the audio starting anywhere in the first video frame.
    /// </summary>
    [Theory]
    [InlineData(24.0, 44100)]
    [InlineData(24.0, 48000)]
    [InlineData(24000 / 1001.0, 48000)]
    [InlineData(25.0, 44100)]
    [InlineData(25.0, 48000)]
    [InlineData(30000 / 1001.0, 44100)]
    [InlineData(30.0, 48000)]
    [InlineData(50.0, 44100)]
    [InlineData(60000 / 1001.0, 48000)]
    [InlineData(60.0, 44100)]
    [InlineData(15.0, 48000)]
    public void Ffmpeg_cuts_every_part_at_exactly_the_whole_frames_of_the_target(double frameRate, int sampleRate)
    {
        var target = PartTiming.TargetSeconds(0.2, frameRate);
        var fragment = PartTiming.FragmentMicroseconds(target, frameRate) / 1000.0;
        var framesPerPart = (int)Math.Round(target * frameRate - 0.01);
        for (var audioOffset = 0.0; audioOffset < 1000 / frameRate; audioOffset += 1)
        {
            var video = Enumerable.Range(0, 600).Select(i => Math.Round(i * 1000 / frameRate)).ToList();
            var audio = Enumerable.Range(0, 1200).Select(i => Math.Round(audioOffset + i * 1024 * 1000.0 / sampleRate)).ToList();
            var packets = video.Select(t => (Time: t, Video: true)).Concat(audio.Select(t => (Time: t, Video: false)))
                .Where(p => p.Time < 10_000).OrderBy(p => p.Time).ThenBy(p => p.Video ? 0 : 1).ToList();

            var parts = new List<(int Frames, double Duration)>();
            double? firstVideo = null, firstAudio = null;
            var frames = 0;
            foreach (var (time, isVideo) in packets)
            {
                var first = isVideo ? firstVideo : firstAudio;
                if (first is { } start && time - start >= fragment)
                {
                    parts.Add((frames, 0));
                    firstVideo = firstAudio = null;
                    frames = 0;
                }

                if (isVideo)
                {
                    firstVideo ??= time;
                    frames++;
                }
                else
                {
                    firstAudio ??= time;
                }
            }

            Assert.All(parts.Skip(1), part => Assert.Equal(framesPerPart, part.Frames));
        }
    }

    [Theory]
    [InlineData(24.0, 5)]
    [InlineData(24000 / 1001.0, 5)]
    [InlineData(30000 / 1001.0, 6)]
    [InlineData(30.0, 6)]
    public void Parts_of_whole_milliseconds_stay_within_the_target(double frameRate, int framesPerPart)
    {
        var target = PartTiming.TargetSeconds(0.2, frameRate);

        var longest = Enumerable.Range(0, 1000).Max(i => Math.Round((i + framesPerPart) * 1000 / frameRate) - Math.Round(i * 1000 / frameRate)) / 1000;

        Assert.InRange(longest, 0.85 * target, target);
    }

    [Theory]
    [InlineData(24.0)]
    [InlineData(30000 / 1001.0)]
    [InlineData(30.0)]
    [InlineData(60.0)]
    public void Without_a_frame_rate_parts_stay_within_the_target_and_above_85_percent_of_it(double actualFrameRate)
    {
        var target = PartTiming.TargetSeconds(0.2, null);
        var fragment = PartTiming.FragmentMicroseconds(target, null) / 1e6;

        var part = Math.Ceiling(fragment * actualFrameRate - 1e-9) / actualFrameRate;

        Assert.InRange(part, 0.85 * target, target + 1e-3);
    }
}
