using System.Diagnostics;

namespace Nio.Transcoder.Tests.Support;

/// <summary>Real fragmented MP4 from the installed FFmpeg, made once per test run.</summary>
public static class FfmpegSample
{
    private static readonly Lazy<byte[]> ThreeSeconds = new(() => Run(
        "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30",
        "-f", "lavfi", "-i", "sine=frequency=440",
        "-t", "3", "-c:v", "libx264", "-g", "30", "-c:a", "aac",
        "-f", "mp4", "-movflags", "+frag_keyframe+empty_moov+default_base_moof", "-frag_duration", "200000", "pipe:1"));

    private static readonly Lazy<byte[]> SilentVideo = new(() => Run(
        "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30",
        "-f", "lavfi", "-i", "sine=frequency=440",
        "-t", "12", "-vf", "select='not(between(t,1,9))'", "-fps_mode", "passthrough", "-c:v", "libx264", "-g", "30", "-c:a", "aac",
        "-f", "mp4", "-movflags", "+frag_keyframe+empty_moov+default_base_moof", "-frag_duration", "200000", "pipe:1"));

    /// <summary>3 s of 320x240 30 fps H.264 (a keyframe a second) and 440 Hz AAC, in fragments of at most 200 ms.</summary>
    public static byte[] Bytes => ThreeSeconds.Value;

    /// <summary>
    /// 12 s like <see cref="Bytes"/> whose video stops from 1 s to 9 s while the sound goes on: the fragments in between
    /// carry only audio, and the last one before the gap holds a frame that lasts until the video comes back.
    /// </summary>
    public static byte[] VideoGap => SilentVideo.Value;

    private static byte[] Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("ffmpeg")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("-hide_banner");
        start.ArgumentList.Add("-loglevel");
        start.ArgumentList.Add("error");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        using var output = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(output);
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg exited with {process.ExitCode}: {errors.Result}");
        }

        return output.ToArray();
    }
}
