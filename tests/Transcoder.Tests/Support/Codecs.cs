using Nio.Shared.Media;

namespace Nio.Transcoder.Tests.Support;

public static class Codecs
{
    /// <summary>What the Ingest would say of an input that is live for one FFmpeg run (a file), then gone.</summary>
    public static Func<CancellationToken, Task<SourceCodecs?>> Once(SourceCodecs codecs)
    {
        SourceCodecs? remaining = codecs;
        return _ => Task.FromResult<SourceCodecs?>(Interlocked.Exchange(ref remaining, null));
    }
}
