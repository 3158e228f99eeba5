namespace Nio.Transcoder.Fmp4;

/// <summary>The initialisation segment (<c>ftyp</c> + <c>moov</c>) FFmpeg writes first: stored as-is as init.mp4.</summary>
public sealed class InitSegment
{
    internal InitSegment(byte[] bytes, IReadOnlyList<TrackInfo> tracks, IReadOnlyDictionary<uint, TrackDefaults> defaults)
    {
        Bytes = bytes;
        Tracks = tracks;
        Defaults = defaults;
    }

    public ReadOnlyMemory<byte> Bytes { get; }

    public IReadOnlyList<TrackInfo> Tracks { get; }

    /// <summary>The CODECS attribute value of a variant carrying every track, e.g. <c>avc1.64001F,mp4a.40.2</c>.</summary>
    public string Codecs => string.Join(',', Tracks.Select(track => track.Codec));

    /// <summary>The <c>trex</c> defaults by track id; fragments fall back to them (ISO/IEC 14496-12 §8.8.3).</summary>
    internal IReadOnlyDictionary<uint, TrackDefaults> Defaults { get; }

    public TrackInfo? FindTrack(uint trackId) => Tracks.FirstOrDefault(track => track.TrackId == trackId);
}

/// <summary>One track of the init segment; <see cref="Codec"/> is its RFC 6381 codec string.</summary>
public abstract record TrackInfo(uint TrackId, uint Timescale, string Codec);

/// <summary>An H.264 track (handler <c>vide</c>).</summary>
public sealed record VideoTrack(uint TrackId, uint Timescale, string Codec, int Width, int Height)
    : TrackInfo(TrackId, Timescale, Codec);

/// <summary>An AAC track (handler <c>soun</c>).</summary>
public sealed record AudioTrack(uint TrackId, uint Timescale, string Codec, int SampleRate, int Channels)
    : TrackInfo(TrackId, Timescale, Codec);

/// <summary>A track's <c>trex</c> box: what a fragment means when it leaves a sample field out.</summary>
internal readonly record struct TrackDefaults(uint SampleDuration, uint SampleFlags);
