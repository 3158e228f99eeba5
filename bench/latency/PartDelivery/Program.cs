// The figure behind bench/latency/parts.sh: how long after the Transcoder wrote a part into the media store the
// Origin had it and the first viewer held its bytes.
//   PartDelivery ORIGIN_URL STREAM_ID MEDIA_DIR VIEWERS WARMUP_SECONDS MEASURE_SECONDS
using System.Globalization;
using Nio.Bench.PartDelivery;

if (args is not [var origin, var stream, var media, var viewers, var warmup, var seconds])
{
    Console.Error.WriteLine("usage: PartDelivery ORIGIN_URL STREAM_ID MEDIA_DIR VIEWERS WARMUP_SECONDS MEASURE_SECONDS");
    return 2;
}

await Audience.RunAsync(
    new Uri(origin), Guid.Parse(stream), media, int.Parse(viewers, CultureInfo.InvariantCulture),
    TimeSpan.FromSeconds(double.Parse(warmup, CultureInfo.InvariantCulture)), TimeSpan.FromSeconds(double.Parse(seconds, CultureInfo.InvariantCulture)));
return 0;
