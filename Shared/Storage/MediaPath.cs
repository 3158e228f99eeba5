using System.Buffers;

namespace Nio.Shared.Storage;

/// <summary>
/// The only paths a media store accepts: relative, '/'-separated, made of letters, digits, '.', '_' and '-', no
/// empty, '.' or '..' segment, at most 512 characters. Anything else is refused before it reaches a disk or a bucket,
/// so no path can climb out of the store.
/// </summary>
public static class MediaPath
{
    public const int MaxLength = 512;

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/");

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="path"/> is a valid object path.</summary>
    public static string Validate(string path)
    {
        if (path.Length is 0 or > MaxLength)
        {
            throw new ArgumentException($"A media path must have 1 to {MaxLength} characters.", nameof(path));
        }

        if (path.AsSpan().ContainsAnyExcept(Allowed))
        {
            throw new ArgumentException($"'{path}' holds characters a media path cannot have.", nameof(path));
        }

        foreach (var segment in path.AsSpan().Split('/'))
        {
            if (path.AsSpan(segment) is "" or "." or "..")
            {
                throw new ArgumentException($"'{path}' has an empty, '.' or '..' segment.", nameof(path));
            }
        }

        return path;
    }
}
