using System.Globalization;

namespace Nio.Bench.Soak;

/// <summary>What one process holds at one moment: resident memory, open file descriptors, threads.</summary>
public readonly record struct Footprint(double RssMegabytes, int Descriptors, int Threads)
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

            var descriptors = Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Count();
            return new Footprint(rssKilobytes.Value / 1024.0, descriptors, (int)threads.Value);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
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
