namespace Nio.Shared.LlHls;

/// <summary>
/// A broadcast's PART-TARGET, and the fragment duration FFmpeg is told so that its fragments (the parts) meet it.
/// FFmpeg starts a new fragment with the first frame whose timestamp is at least the fragment duration past the
/// current fragment's first, so a part is a whole number of frames: with a known frame rate the target is a whole
/// number of frames too, and every part is exactly that long.
/// </summary>
public static class PartTiming
{
    private const double LowestFrameRate = 1;
    private const double HighestFrameRate = 240;

    /// <summary>
    /// The PART-TARGET of a broadcast whose source declared <paramref name="frameRate"/>: the whole number of frames
    /// nearest <paramref name="preferredSeconds"/> (0.2 s is 6 frames at 30 fps, 5 at 25 or 24 fps), rounded up to the
    /// millisecond, since RTMP timestamps are whole milliseconds (5 frames at 24 fps last 208 or 209 ms). Without a
    /// frame rate it is a quarter longer, which leaves room for any frame rate from 24 fps up (0.25 s by default).
    /// </summary>
    public static double TargetSeconds(double preferredSeconds, double? frameRate)
    {
        if (frameRate is not { } fps || !(fps is >= LowestFrameRate and <= HighestFrameRate))
        {
            return preferredSeconds * 1.25;
        }

        var frames = Math.Max(1, Math.Round(preferredSeconds * fps));
        return Math.Ceiling(frames / fps * 1000 - 1e-6) / 1000;
    }

    /// <summary>
    /// FFmpeg's <c>-frag_duration</c> for parts of <paramref name="targetSeconds"/> at <paramref name="frameRate"/>: a
    /// millisecond (the timestamps' rounding) short of the most whole frames that fit. FFmpeg cuts a fragment when a packet
    /// of any track is that far past the first of its track in the fragment, the audio's included. Audio frames start at
    /// or after the cut before, so the audio cannot reach that duration before the last of the part's video frames has
    /// gone in; then the video cuts, unless the audio did first (between that frame and the next): either way each part
    /// holds exactly that many frames. Without a frame rate, 84 % of the target: a frame at 24 fps or faster then never
    /// takes a part past its target.
    /// </summary>
    public static long FragmentMicroseconds(double targetSeconds, double? frameRate)
    {
        if (frameRate is not { } fps || !(fps is >= LowestFrameRate and <= HighestFrameRate))
        {
            return (long)(targetSeconds * 0.84 * 1_000_000);
        }

        // The small allowance keeps 6 frames of 1/30 s inside a target of 0.2 s despite floating point.
        var frames = Math.Max(1, Math.Floor(targetSeconds * fps + 1e-6));
        return (long)(frames / fps * 1_000_000) - 1000;
    }
}
