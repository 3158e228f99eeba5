using Nio.Origin.Hosting;
using Nio.Shared.Hosting;

namespace Nio.Origin;

/// <summary>The Origin's entry point (named, so it never clashes with the Api's <c>Program</c> in test hosts).</summary>
public static class OriginProgram
{
    public static void Main(string[] args)
    {
        InlineSockets.EnableForProcess();
        OriginHost.Build(args).Run();
    }
}
