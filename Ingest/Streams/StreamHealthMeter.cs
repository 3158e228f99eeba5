using Nio.Ingest.Codecs;
using Nio.Ingest.Media;
using Nio.Shared.Media;

namespace Nio.Ingest.Streams;

/// <summary>
/// Measures one live stream's incoming media for the streamer's health view: codecs and picture size from the track
/// formats, frame rate, bitrates and keyframe interval from the access units' timestamps and sizes. Called for every
/// unit under the stream's lock, so <see cref="Observe"/> allocates nothing.
/// </summary>
public sealed class StreamHealthMeter
{
    private readonly TimestampWindow video = new();
    private readonly TimestampWindow audio = new();
    private long lastMediaAt = long.MinValue;
    private string? videoCodec;
    private AvcSequenceParameterSet? sps;
    private AudioFormat? audioFormat;
    private bool hasKeyframe;
    private uint lastKeyframe;
    private uint? keyframeInterval;

    /// <summary>The last track configuration that could not be understood, for the log; null when all were.</summary>
    public CodecConfigException? LastConfigError { get; private set; }

    /// <summary>A track's new format: its codec, and what its configuration says of the picture or the sound.</summary>
    public void ObserveFormat(TrackFormat format)
    {
        if (format.ConfigError is { } error)
        {
            LastConfigError = error;
        }

        if (format.Kind == MediaKind.Video)
        {
            videoCodec = VideoCodecName(format.Codec);
            sps = format.Sps;
        }
        else
        {
            audioFormat = format.Audio;
        }
    }

    /// <param name="unit">An access unit of a track whose format was observed.</param>
    /// <param name="nowMilliseconds">A monotonic clock in ms (<see cref="Environment.TickCount64"/>), for the time since the last media.</param>
    public void Observe(AccessUnit unit, long nowMilliseconds)
    {
        lastMediaAt = nowMilliseconds;
        // The windows count FLV-sized milliseconds, which wrap like FLV's; rates need no finer clock.
        var timestamp = unchecked((uint)MediaClock.ToMilliseconds(unit.Timestamp));
        if (unit.Kind == MediaKind.Audio)
        {
            audio.Add(timestamp, unit.Data.Length);
            return;
        }

        video.Add(timestamp, unit.Data.Length);
        if (unit.Keyframe)
        {
            if (hasKeyframe && unchecked(timestamp - lastKeyframe) is var interval && interval > 0 && interval < int.MaxValue)
            {
                keyframeInterval = interval;
            }

            hasKeyframe = true;
            lastKeyframe = timestamp;
        }
    }

    public StreamHealthReport Snapshot(long nowMilliseconds)
    {
        double? sinceLastMedia = lastMediaAt == long.MinValue ? null : Math.Max(0, nowMilliseconds - lastMediaAt) / 1000.0;
        var videoHealth = videoCodec is null ? null : new VideoHealth(
            videoCodec, sps?.Profile, sps?.Level, sps?.Width, sps?.Height, Round(video.PerSecond, 2), Round(video.KilobitsPerSecond, 1),
            Round(KeyframeIntervalMilliseconds() / 1000.0, 3));
        var audioHealth = audioFormat is not { } format ? null : new AudioHealth(format.Codec, format.SampleRate, format.Channels, Round(audio.KilobitsPerSecond, 1));
        return new StreamHealthReport(Round(sinceLastMedia, 3), videoHealth, audioHealth);
    }

    /// <summary>The last interval between keyframes, or the time since the last keyframe once that is longer (keyframes stopped coming).</summary>
    private double? KeyframeIntervalMilliseconds()
    {
        if (keyframeInterval is not { } interval)
        {
            return null;
        }

        var sinceLast = unchecked(video.Newest - lastKeyframe);
        return sinceLast > interval && sinceLast < int.MaxValue ? sinceLast : interval;
    }

    private static string VideoCodecName(string codec) => codec switch
    {
        SourceCodecs.Avc => "H.264",
        "hvc1" => "H.265",
        "av01" => "AV1",
        "vp09" => "VP9",
        "h263" => "Sorenson H.263",
        _ => codec,
    };

    private static double? Round(double? value, int digits) => value is { } v ? Math.Round(v, digits) : null;
}
