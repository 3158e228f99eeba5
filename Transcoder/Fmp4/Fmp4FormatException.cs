namespace Nio.Transcoder.Fmp4;

/// <summary>Why a fragmented MP4 stream was rejected.</summary>
public enum Fmp4Error
{
    BadBoxSize,
    BoxTooLarge,
    UnexpectedBox,
    MissingBox,
    Truncated,
    UnsupportedTrack,
    UnsupportedCodec,
    UnknownTrack,
    DuplicateTrack,
    ValueOutOfRange,
}

/// <summary>The fMP4 input is malformed or not something NIO can package; that one stream is ended with this reason.</summary>
public sealed class Fmp4FormatException(Fmp4Error error, string detail) : Exception($"{error}: {detail}")
{
    public Fmp4Error Error { get; } = error;
}
