using Nio.Admin.Hosting;

namespace Nio.Admin;

/// <summary>The panel's entry point (named, so it never clashes with the Api's <c>Program</c> in test hosts).</summary>
public static class AdminProgram
{
    public static void Main(string[] args) => AdminHost.Build(args).Run();
}
