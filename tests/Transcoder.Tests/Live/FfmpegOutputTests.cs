using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Nio.Shared.Media;
using Nio.Shared.Storage;
using Nio.TestSupport;
using Nio.Transcoder.Live;
using Nio.Transcoder.Tests.Support;

namespace Nio.Transcoder.Tests.Live;

/// <summary>What reaches the log of an FFmpeg that prints a line per broken packet, as it does on a damaged input.</summary>
public sealed class FfmpegOutputTests : IDisposable
{
    private const int Lines = 5000;

    private readonly string root = Directory.CreateTempSubdirectory("nio-ffmpeg-output-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task A_flood_of_ffmpeg_errors_reaches_the_log_as_a_few_lines_and_a_count_of_the_rest()
    {
        // A real process in FFmpeg's place that does what FFmpeg does on a damaged input: thousands of lines, then exit.
        var noisy = Path.Combine(root, "noisy-ffmpeg");
        await File.WriteAllTextAsync(noisy, $"#!/bin/sh\nfor i in $(seq {Lines}); do echo \"[h264 @ 0x1] error while decoding MB $i\" >&2; done\nexit 1\n");
        Assert.Equal(0, (await TestHost.RunAsync("chmod", ["+x", noisy])).ExitCode);
        var log = new RecordingLogger();
        var packager = new LivePackager(
            new LocalDiskMediaStore(Path.Combine(root, "media")), Options.Create(new LadderOptions { FfmpegPath = noisy, ReturnGraceSeconds = 0.2 }), log);

        await packager.RunAsync(Guid.NewGuid(), _ => Task.FromResult(Stream.Null), Codecs.Once(new SourceCodecs(SourceCodecs.Avc, SourceCodecs.Aac)), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(60));

        var said = log.Messages.Where(m => m.Contains("FFmpeg says", StringComparison.Ordinal)).ToList();
        Assert.InRange(said.Count, 1, 20);
        var leftOut = log.Messages.Where(m => m.Contains("lines of FFmpeg output were left out", StringComparison.Ordinal))
            .Sum(m => long.Parse(m.Split(": ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Lines, said.Count + leftOut);
    }

    private sealed class RecordingLogger : ILogger<LivePackager>
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Enqueue(formatter(state, exception));
    }
}
