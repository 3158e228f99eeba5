namespace Nio.Ingest.Rtmp;

/// <summary>Why an RTMP connection was ended by NIO.</summary>
public enum RtmpError
{
    BadHandshakeVersion,
    BadChunkSize,
    TooManyChunkStreams,
    MessageTooLarge,
    TooMuchBufferedData,
    ContinuationWithoutMessage,
    MalformedAmf,
    AmfTooDeep,
    MalformedCommand,
    MalformedControlMessage,
}

/// <summary>The peer broke the protocol; the connection is closed with this reason and nothing else is affected.</summary>
public sealed class RtmpProtocolException(RtmpError error, string detail) : Exception($"{error}: {detail}")
{
    public RtmpError Error { get; } = error;
}
