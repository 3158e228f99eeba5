using System.Diagnostics;
using System.Text;

namespace Nio.TestSupport;

/// <summary>A real RTMP publisher process (FFmpeg or GStreamer) sending a test pattern with sound.</summary>
public sealed class Publisher : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private bool disposed;

    private Publisher(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        process = Process.Start(start)!;
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
    }

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>FFmpeg's RTMP client: 640×480 H.264 (1 s GOP at 30 fps) and AAC in real time for the given seconds.</summary>
    public static Publisher Ffmpeg(string url, int seconds) => new("ffmpeg",
    [
        "-hide_banner", "-loglevel", "warning", "-re",
        "-f", "lavfi", "-i", "testsrc2=size=640x480:rate=30",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
        "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "30", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "64k",
        "-f", "flv", url,
    ]);

    /// <summary>
    /// FFmpeg's RTMP client with settings a test measures against: 640×360 H.264 High 3.0 at 25 fps with a keyframe
    /// exactly every <paramref name="keyframeInterval"/> frames (no scene-cut keyframes), about 800 kbps, AAC-LC 48 kHz
    /// stereo at 128 kbps, in real time for the given seconds.
    /// </summary>
    public static Publisher FfmpegMeasured(string url, int seconds, int keyframeInterval) => new("ffmpeg",
    [
        "-hide_banner", "-loglevel", "warning", "-re",
        "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
        "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        // Not ultrafast: it leaves out CABAC and 8×8 transforms, and x264 then signals Constrained Baseline.
        "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-profile:v", "high", "-level", "3.0", "-pix_fmt", "yuv420p",
        "-g", keyframeInterval.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "-keyint_min", keyframeInterval.ToString(System.Globalization.CultureInfo.InvariantCulture), "-sc_threshold", "0",
        "-b:v", "800k", "-maxrate", "800k", "-bufsize", "800k",
        "-c:a", "aac", "-ar", "48000", "-ac", "2", "-b:a", "128k",
        "-f", "flv", url,
    ]);

    /// <summary>
    /// FFmpeg's RTMP client sending one keyframe and never another (x264 <c>keyint=infinite</c>, no scene cuts), as
    /// encoders with intra refresh do: 640×360 H.264 at 30 fps and AAC, in real time for the given seconds.
    /// </summary>
    public static Publisher FfmpegWithoutKeyframes(string url, int seconds) => new("ffmpeg",
    [
        "-hide_banner", "-loglevel", "warning", "-re",
        "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
        "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p", "-x264-params", "keyint=infinite:scenecut=0",
        "-c:a", "aac", "-b:a", "64k",
        "-f", "flv", url,
    ]);

    /// <summary>
    /// FFmpeg's RTMP client with codecs FLV allows but HLS players do not play: Sorenson H.263 (FLV1) video and MP3
    /// audio, 640×480, in real time for the given seconds.
    /// </summary>
    public static Publisher FfmpegSorensonMp3(string url, int seconds) => new("ffmpeg",
    [
        "-hide_banner", "-loglevel", "warning", "-re",
        "-f", "lavfi", "-i", "testsrc2=size=640x480:rate=30",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
        "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "-c:v", "flv1", "-g", "30", "-c:a", "libmp3lame", "-b:a", "64k",
        "-f", "flv", url,
    ]);

    /// <summary>GStreamer's rtmp2sink with flvmux: H.264 and AAC, live, for the given seconds.</summary>
    public static Publisher GStreamer(string url, int seconds) => new("gst-launch-1.0",
    [
        "-q",
        "videotestsrc", "is-live=true", $"num-buffers={seconds * 30}", "!",
        "video/x-raw,format=I420,width=320,height=240,framerate=30/1", "!",
        "x264enc", "tune=zerolatency", "speed-preset=ultrafast", "key-int-max=30", "!", "h264parse", "!",
        "flvmux", "name=mux", "streamable=true", "!", "rtmp2sink", $"location={url}",
        "audiotestsrc", "is-live=true", $"num-buffers={seconds * 44100 / 1024}", "!", "audioconvert", "!", "avenc_aac", "!", "aacparse", "!", "mux.",
    ]);

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Stops the publisher (kills it if still running); calling it again does nothing.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
    }

    private void Append(string? line)
    {
        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
