using Nio.Shared.LlHls;
using System.Globalization;
using Nio.Shared.Media;

namespace Nio.Transcoder.Live;

/// <summary>
/// The FFmpeg command that turns one live input into every rendition and the thumbnails at once (one decode, many
/// encodes), each rendition written as fragmented MP4 to its own output. Built as an argument list: nothing passes
/// through a shell.
/// </summary>
public static class FfmpegLadder
{
    /// <summary>
    /// The configured ladder without the renditions taller than the source: scaling up costs CPU and bandwidth and
    /// shows nothing more. (One as tall as the source stays: it is the same picture at a lower rate.) All of it when
    /// the publisher declared no height.
    /// </summary>
    public static IReadOnlyList<Rendition> Renditions(SourceCodecs source, IReadOnlyList<Rendition> configured) =>
        [.. configured.Where(r => r.IsSource || source.Height is not { } height || r.Height <= height)];

    /// <summary>
    /// FFmpeg's standard input, where the packager copies the Ingest's HTTP-FLV: FFmpeg reading the URL itself would
    /// need the Ingest's credential on its command line, which every local user can read (<c>/proc/PID/cmdline</c>).
    /// </summary>
    public const string StandardInput = "pipe:0";

    /// <param name="inputUrl">What FFmpeg reads: <see cref="StandardInput"/> for a live stream, or a file.</param>
    /// <param name="source">What the input carries: the source rendition copies only what HLS players can play.</param>
    /// <param name="thumbnailOutput">Where the JPEG thumbnails go, one after another (image2pipe).</param>
    /// <param name="partTargetSeconds">The broadcast's PART-TARGET (<see cref="PartTiming"/>): fragments are cut to fit it.</param>
    /// <param name="forceSourceKeyframes">
    /// The source's own keyframes came too far apart for the segments: its video is re-encoded like one players
    /// cannot decode, with a keyframe every segment target, even when it is H.264.
    /// </param>
    public static IReadOnlyList<string> Arguments(
        string inputUrl, SourceCodecs source, IReadOnlyList<Rendition> renditions, IReadOnlyList<string> outputs,
        string thumbnailOutput, LadderOptions options, double partTargetSeconds, bool forceSourceKeyframes = false)
    {
        if (renditions.Count != outputs.Count)
        {
            throw new ArgumentException("Every rendition needs one output.", nameof(outputs));
        }

        // -nostdin: the input's bytes are never taken for keyboard commands.
        var arguments = new List<string> { "-hide_banner", "-loglevel", "warning", "-nostdin" };

        // Live input: a short probe, the Ingest has already said what it carries. (Not -fflags nobuffer: it makes the
        // first video sample last as long as the first GOP.) An input that stops sending is closed by the packager after
        // LadderOptions.InputTimeoutSeconds (LiveInput); FFmpeg then ends instead of waiting forever.
        arguments.AddRange(["-analyzeduration", "1000000", "-i", inputUrl]);

        var fragmentMicroseconds = PartTiming.FragmentMicroseconds(partTargetSeconds, source.FrameRate).ToString(CultureInfo.InvariantCulture);
        var keyframes = Invariant($"expr:gte(t,n_forced*{options.SegmentTargetSeconds})");
        var pictureTimes = source.FrameRate is null ? PictureTimesKept : [];
        for (var i = 0; i < renditions.Count; i++)
        {
            var rendition = renditions[i];
            arguments.AddRange(["-map", "0:v:0", "-map", "0:a:0?"]);
            if (!rendition.IsSource)
            {
                arguments.AddRange(["-vf", Invariant($"scale=-2:{rendition.Height}")]);
                arguments.AddRange([.. H264(keyframes), .. pictureTimes]);
                arguments.AddRange(["-b:v", Invariant($"{rendition.VideoKbps}k")]);
                arguments.AddRange(RateCeiling(rendition));
            }
            else if (source.Video == SourceCodecs.Avc && !forceSourceKeyframes)
            {
                arguments.AddRange(["-c:v", "copy"]);
            }
            else
            {
                // Not H.264 (Sorenson, VP6, HEVC over Enhanced RTMP…), which players could not decode, or keyframes too
                // far apart for segments to start on one: the source is re-encoded at its own resolution. That
                // resolution is not known here, hence a constant quality under the configured rate rather than a fixed rate.
                arguments.AddRange([.. H264(keyframes), .. pictureTimes]);
                arguments.AddRange(["-crf", "21"]);
                arguments.AddRange(RateCeiling(rendition));
            }

            // Audio is copied only when it is AAC (the codec every HLS player has); anything else, or audio that
            // showed up late, is encoded to AAC, which costs little next to video.
            arguments.AddRange(rendition.IsSource && source.Audio == SourceCodecs.Aac
                ? ["-c:a", "copy"]
                : ["-c:a", "aac", "-b:a", Invariant($"{rendition.AudioKbps}k")]);
            arguments.AddRange(
            [
                "-f", "mp4", "-movflags", "+empty_moov+default_base_moof+frag_keyframe", "-frag_duration", fragmentMicroseconds,
                "-y", outputs[i],
            ]);
        }

        // Thumbnails from the frames this process decodes anyway. round=up takes the first frame at once, then one
        // every interval. MJPEG wants full-range YUV: scaling to it directly (and allowing the non-deprecated
        // yuv420p tag for it) spares the per-stream swscale warning about yuvj420p.
        arguments.AddRange(
        [
            "-map", "0:v:0",
            "-vf", Invariant($"fps=1/{options.ThumbnailIntervalSeconds}:round=up,scale={options.ThumbnailWidth}:-2:out_range=full"),
            "-pix_fmt", "yuv420p", "-color_range", "pc", "-strict", "unofficial", "-c:v", "mjpeg", "-q:v", "5",
            "-f", "image2pipe", "-y", thumbnailOutput,
        ]);
        return arguments;
    }

    /// <summary>
    /// For a source that declares no frame rate (a WebRTC publisher): each encoded picture keeps its own time. Left to
    /// itself FFmpeg holds the encoder to a rate it guesses from the input's millisecond times, and for a browser's
    /// uneven capture times that guess is 1000 a second: every picture was repeated about 33 times and the encoders
    /// fell seconds behind live. A declared rate (RTMP's onMetaData) is what FFmpeg holds them to, as before.
    /// </summary>
    private static readonly string[] PictureTimesKept = ["-fps_mode", "vfr"];

    private static string[] H264(string keyframes) =>
        ["-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-profile:v", "main", "-pix_fmt", "yuv420p", "-force_key_frames", keyframes];

    private static string[] RateCeiling(Rendition rendition) =>
        ["-maxrate", Invariant($"{rendition.VideoKbps}k"), "-bufsize", Invariant($"{rendition.VideoKbps * 2}k")];

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
