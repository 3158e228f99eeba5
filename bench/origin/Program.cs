// The two sides of bench/origin/run.sh around a running Origin: "feed" plays the Transcoder (a synthetic live stream
// stored and announced at the real cadence), "view" plays many LL-HLS viewers and reports how late each part reached
// them after its announcement.
using System.Globalization;
using Nio.Bench.Origin;

switch (args)
{
    case ["feed", var origin, var media, var stream, var seconds, var announcements]:
        var secret = Environment.GetEnvironmentVariable("NIO_TRANSCODER_TO_ORIGIN_SECRET")
            ?? throw new InvalidOperationException("NIO_TRANSCODER_TO_ORIGIN_SECRET must hold the Transcoder's secret for the Origin.");
        await Feeder.RunAsync(new Uri(origin), media, Guid.Parse(stream), Seconds(seconds), announcements, secret);
        return 0;
    case ["view", var origin, var stream, var viewers, var warmup, var seconds, var announcements]:
        await Viewers.RunAsync(new Uri(origin), Guid.Parse(stream), int.Parse(viewers, CultureInfo.InvariantCulture), Seconds(warmup), Seconds(seconds), announcements);
        return 0;
    default:
        Console.Error.WriteLine("usage: OriginBench feed ORIGIN_INTERNAL_URL MEDIA_DIR STREAM_ID SECONDS ANNOUNCEMENTS_FILE   (secret in NIO_TRANSCODER_TO_ORIGIN_SECRET)");
        Console.Error.WriteLine("       OriginBench view ORIGIN_URL STREAM_ID VIEWERS WARMUP_SECONDS SECONDS ANNOUNCEMENTS_FILE");
        return 2;
}

static TimeSpan Seconds(string value) => TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture));
