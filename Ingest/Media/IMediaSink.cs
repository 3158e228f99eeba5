namespace Nio.Ingest.Media;

/// <summary>Where a protocol's reader puts what it read of a publisher's media (a publication's live stream).</summary>
public interface IMediaSink
{
    /// <summary>The track's format from now on; the access units that follow refer to it.</summary>
    void SetFormat(TrackFormat format);

    /// <summary>Relays the unit; the caller keeps (and releases) its own reference.</summary>
    void Write(AccessUnit unit);

    /// <summary>What the publisher says of its picture, beyond what the codec configuration tells.</summary>
    void Declare(PublisherMetadata metadata);
}

/// <summary>
/// What a publisher declares about its source (RTMP's <c>onMetaData</c>; a WHIP offer's frame rate): each value only
/// when plausible, null otherwise.
/// </summary>
public sealed record PublisherMetadata(int? Width, int? Height, double? FrameRate)
{
    public static readonly PublisherMetadata None = new(null, null, null);
}
