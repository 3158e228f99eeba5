using Nio.Shared.LlHls;
// Packages one input with NIO's ladder (mode "nio"), or runs one plain FFmpeg command with exactly the same
// encoders writing HLS itself (mode "ffmpeg-hls"): the baseline of bench/transcoder/run.sh.
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Nio.Shared.Media;
using Nio.Shared.Storage;
using Nio.Transcoder.Live;

if (args is not [var mode, var input, var output])
{
    Console.Error.WriteLine("usage: TranscoderBench nio|ffmpeg-hls INPUT OUTPUT_DIR");
    return 2;
}

var options = new LadderOptions { ReturnGraceSeconds = 0 };
var source = new SourceCodecs(SourceCodecs.Avc, SourceCodecs.Aac);
if (mode == "nio")
{
    // The input file is "live" for one FFmpeg run.
    SourceCodecs? once = source;
    var packager = new LivePackager(new LocalDiskMediaStore(output), Options.Create(options), NullLogger<LivePackager>.Instance);
    await packager.RunAsync(Guid.Empty, _ => Task.FromResult<Stream>(File.OpenRead(input)), _ => Task.FromResult<SourceCodecs?>(Interlocked.Exchange(ref once, null)), CancellationToken.None);
    return 0;
}

// The same command NIO runs, with each fragmented-MP4 output replaced by FFmpeg's own HLS muxer (fMP4 segments of
// the same 1 s target), so the two runs differ only in who packages.
var outputs = options.Renditions.Select(r => Path.Combine(output, r.Name, "index.m3u8")).ToList();
outputs.ForEach(path => Directory.CreateDirectory(Path.GetDirectoryName(path)!));
var arguments = FfmpegLadder.Arguments(input, source, options.Renditions, outputs, Path.Combine(output, "thumbnails.mjpeg"), options,
    PartTiming.TargetSeconds(options.PartTargetSeconds, source.FrameRate)).ToList();
for (var i = arguments.IndexOf("-f"); i >= 0; i = arguments.IndexOf("-f", i + 1))
{
    if (arguments[i + 1] == "mp4")
    {
        // -f mp4 -movflags X -frag_duration Y  →  -f hls -hls_time 1 -hls_segment_type fmp4 -hls_list_size 0
        arguments.RemoveRange(i, 6);
        arguments.InsertRange(i, ["-f", "hls", "-hls_time", "1", "-hls_segment_type", "fmp4", "-hls_list_size", "0"]);
    }
}

var start = new ProcessStartInfo(options.FfmpegPath);
arguments.ForEach(start.ArgumentList.Add);
using var ffmpeg = Process.Start(start)!;
await ffmpeg.WaitForExitAsync();
return ffmpeg.ExitCode;
