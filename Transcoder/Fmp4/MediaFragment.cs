namespace Nio.Transcoder.Fmp4;

/// <summary>One CMAF chunk: a <c>moof</c> + <c>mdat</c> pair (with any boxes that preceded it) as raw bytes, and what it holds.</summary>
public sealed class MediaFragment
{
    internal MediaFragment(byte[] bytes, IReadOnlyList<TrackFragment> tracks)
    {
        Bytes = bytes;
        Tracks = tracks;
    }

    public ReadOnlyMemory<byte> Bytes { get; }

    public IReadOnlyList<TrackFragment> Tracks { get; }

    /// <summary>True when every track's first sample decodes on its own, so playback can start at this fragment.</summary>
    public bool IsIndependent => Tracks.All(track => track.SampleCount == 0 || track.StartsWithSyncSample);

    public TrackFragment? FindTrack(uint trackId) => Tracks.FirstOrDefault(track => track.TrackId == trackId);
}

/// <summary>One <c>traf</c>: the track's samples in this fragment, times in the track's timescale.</summary>
public sealed record TrackFragment(uint TrackId, long BaseMediaDecodeTime, long Duration, long SampleCount, bool StartsWithSyncSample);
