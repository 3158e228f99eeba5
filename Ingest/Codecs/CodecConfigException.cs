namespace Nio.Ingest.Codecs;

/// <summary>Why a codec configuration (AVC decoder configuration, SPS, AAC AudioSpecificConfig) was not understood.</summary>
public enum CodecConfigError
{
    UnsupportedVersion,
    NotASequenceParameterSet,
    Truncated,
    ValueOutOfRange,
    ExpGolombTooLong,
}

/// <summary>
/// A codec configuration that breaks its specification. The media is still relayed as it came (a decoder may cope);
/// only what the Ingest reports about it is left unknown.
/// </summary>
public sealed class CodecConfigException(CodecConfigError error, string detail) : Exception($"{error}: {detail}")
{
    public CodecConfigError Error { get; } = error;
}
