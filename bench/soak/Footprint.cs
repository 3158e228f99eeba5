using System.Globalization;

namespace Nio.Bench.Soak;

/// <summary>
/// What one process holds at one moment: resident memory, open file descriptors, threads, and the in-memory files
/// (<c>memfd</c>) it holds open: their pages are memory too, but no process's resident set counts them unless mapped
/// (the Origin keeps its media cache in them).
/// </summary>
public readonly record struct Footprint(double RssMegabytes, int Descriptors, int Threads, double InMemoryFilesMegabytes)
{
    /// <summary>Reads <paramref name="pid"/>'s footprint from /proc; null once the process is gone.</summary>
    public static Footprint? Read(int pid)
    {
        try
        {
            var status = File.ReadAllLines($"/proc/{pid}/status");
            var rssKilobytes = Field(status, "VmRSS:");
            var threads = Field(status, "Threads:");
            if (rssKilobytes is null || threads is null)
            {
                return null; // a zombie: its memory is already gone
            }

            var descriptors = 0;
            long inMemoryFileBytes = 0;
            foreach (var descriptor in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
            {
                descriptors++;
                inMemoryFileBytes += InMemoryFileLength(descriptor);
            }

            return new Footprint(rssKilobytes.Value / 1024.0, descriptors, (int)threads.Value, inMemoryFileBytes / (1024.0 * 1024.0));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The length of the file behind <paramref name="descriptor"/> when it is one of NIO's in-memory files.</summary>
    private static long InMemoryFileLength(string descriptor)
    {
        try
        {
            // Only NIO's own ("nio-media"): the runtime keeps a large sparse one of its own for executable code.
            if (new FileInfo(descriptor).LinkTarget?.StartsWith("/memfd:nio-", StringComparison.Ordinal) != true)
            {
                return 0;
            }

            // The link's own length is not the file's: opened through the link, it is.
            using var file = new FileStream(descriptor, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
            return file.Length;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return 0; // closed meanwhile
        }
    }

    /// <summary>The process ids of <paramref name="parent"/>'s children whose command name is <paramref name="name"/>.</summary>
    public static IEnumerable<int> Children(int parent, string name)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                continue; // it exited meanwhile
            }

            // "pid (comm) state ppid …": the command name may hold spaces and parentheses, so it ends at the last ')'.
            var open = stat.IndexOf('(');
            var close = stat.LastIndexOf(')');
            var after = stat[(close + 2)..].Split(' ');
            if (stat[(open + 1)..close] == name && after.Length > 1 && after[1] == parent.ToString(CultureInfo.InvariantCulture))
            {
                yield return pid;
            }
        }
    }

    private static long? Field(string[] status, string name) =>
        status.FirstOrDefault(line => line.StartsWith(name, StringComparison.Ordinal)) is { } line
            ? long.Parse(line[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture)
            : null;
}
