using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Nio.Fuzz;

/// <summary>
/// Adds SharpFuzz's edge-coverage instrumentation to assemblies (the <c>instrument</c> command, which the build runs
/// on this project's own copies of the assemblies under test). SharpFuzz rewrites a file in place, so it works on a
/// copy that then replaces the file: a hard link to the original project's output is never written through.
/// </summary>
public static class Instrumentation
{
    public static int Run(IEnumerable<string> assemblies)
    {
        foreach (var path in assemblies)
        {
            if (IsInstrumented(path))
            {
                continue;
            }

            var copy = path + ".instrumenting";
            File.Copy(path, copy, overwrite: true);
            var types = SharpFuzz.Fuzzer.Instrument(copy, _ => true, SharpFuzz.Options.Value).Count();
            File.Move(copy, path, overwrite: true);
            Console.WriteLine($"instrumented {Path.GetFileName(path)} ({types} types)");
        }

        return 0;
    }

    /// <summary>Instrumented code references SharpFuzz.Common, where the edge map lives.</summary>
    public static bool IsInstrumented(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        return metadata.AssemblyReferences.Any(handle => metadata.GetString(metadata.GetAssemblyReference(handle).Name) == "SharpFuzz.Common");
    }
}
