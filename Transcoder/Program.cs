using Nio.Transcoder.Hosting;

namespace Nio.Transcoder;

/// <summary>The Transcoder's entry point (named, so it never clashes with the Api's <c>Program</c> in test hosts).</summary>
public static class TranscoderProgram
{
    public static void Main(string[] args) => TranscoderHost.Build(args).Run();
}
