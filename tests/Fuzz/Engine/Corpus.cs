using System.Security.Cryptography;

namespace Nio.Fuzz.Engine;

/// <summary>
/// The inputs kept in the repository for each target (<c>tests/Fuzz/corpus/{target}/</c>, copied beside the assembly):
/// seeds made from real FFmpeg output and every input that once made a finding.
/// </summary>
public static class Corpus
{
    public static string DirectoryOf(string target) => Path.Combine(AppContext.BaseDirectory, "corpus", target);

    public static IReadOnlyList<byte[]> Load(string directory) =>
        Directory.Exists(directory)
            ? [.. Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(File.ReadAllBytes)]
            : [];

    /// <summary>Saves an input under the hash of its bytes, so the same input is never stored twice.</summary>
    public static string Save(string directory, byte[] input, string prefix = "")
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, prefix + Convert.ToHexStringLower(SHA1.HashData(input))[..16]);
        if (!File.Exists(path))
        {
            File.WriteAllBytes(path, input);
        }

        return path;
    }
}
