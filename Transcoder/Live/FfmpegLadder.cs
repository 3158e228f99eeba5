using System.Globalization;

namespace Nio.Transcoder.Live;

/// <summary>
/// The FFmpeg command that turns one live input into every rendition at once (one decode, many encodes), each
/// written as fragmented MP4 to its own output. Built as an argument list: nothing passes through a shell.
/// </summary>
public static class FfmpegLadder
{
    public static IReadOnlyList<string> Arguments(string inputUrl, string? bearerSecret, IReadOnlyList<Rendition> renditions, IReadOnlyList<string> outputs, LadderOptions options)
    {
        if (renditions.Count != outputs.Count)
        {
            throw new ArgumentException("Every rendition needs one output.", nameof(outputs));
        }

        var arguments = new List<string> { "-hide_banner", "-loglevel", "warning", "-nostdin" };
        if (bearerSecret is not null)
        {
            arguments.AddRange(["-headers", $"Authorization: Bearer {bearerSecret}\r\n"]);
        }

        // Live input: a short probe of what is known to be H.264 and AAC in FLV. (Not -fflags nobuffer: it makes
        // the first video sample last as long as the first GOP.)
        arguments.AddRange(["-analyzeduration", "1000000", "-i", inputUrl]);

        // A fragment is cut at the first frame at or past this: about a frame below PART-TARGET keeps every part
        // between 85 % and 100 % of it at common frame rates.
        var fragmentMicroseconds = ((long)(options.PartTargetSeconds * 0.84 * 1_000_000)).ToString(CultureInfo.InvariantCulture);
        var keyframes = string.Create(CultureInfo.InvariantCulture, $"expr:gte(t,n_forced*{options.SegmentTargetSeconds})");
        for (var i = 0; i < renditions.Count; i++)
        {
            var rendition = renditions[i];
            arguments.AddRange(["-map", "0:v:0", "-map", "0:a:0?"]);
            if (rendition.IsSource)
            {
                arguments.AddRange(["-c:v", "copy", "-c:a", "copy"]);
            }
            else
            {
                var video = rendition.VideoKbps.ToString(CultureInfo.InvariantCulture);
                arguments.AddRange(
                [
                    "-vf", string.Create(CultureInfo.InvariantCulture, $"scale=-2:{rendition.Height}"),
                    "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-profile:v", "main", "-pix_fmt", "yuv420p",
                    "-b:v", $"{video}k", "-maxrate", $"{video}k", "-bufsize", string.Create(CultureInfo.InvariantCulture, $"{rendition.VideoKbps * 2}k"),
                    "-force_key_frames", keyframes,
                    "-c:a", "aac", "-b:a", string.Create(CultureInfo.InvariantCulture, $"{rendition.AudioKbps}k"),
                ]);
            }

            arguments.AddRange(
            [
                "-f", "mp4", "-movflags", "+empty_moov+default_base_moof+frag_keyframe", "-frag_duration", fragmentMicroseconds,
                "-y", outputs[i],
            ]);
        }

        return arguments;
    }
}
