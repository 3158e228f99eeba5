using System.Diagnostics;
using System.Globalization;

namespace Nio.Bench.Gifts;

/// <summary>CPU seconds used so far by the Api, PostgreSQL and this client.</summary>
public sealed record CpuSample(double Api, double Postgres, double Client);

/// <summary>
/// The server processes whose CPU time a run is charged (<c>NIO_BENCH_API_PID</c>, <c>NIO_BENCH_PG_PID</c>, the
/// postmaster): each with its live children and the children it has already reaped, from <c>/proc</c>.
/// </summary>
public sealed class ServerProcesses(int apiPid, int postgresPid)
{
    // /proc counts in USER_HZ, which Linux fixes at 100 for user space.
    private const double TicksPerSecond = 100;

    public static ServerProcesses? FromEnvironment() =>
        int.TryParse(Environment.GetEnvironmentVariable("NIO_BENCH_API_PID"), CultureInfo.InvariantCulture, out var api)
        && int.TryParse(Environment.GetEnvironmentVariable("NIO_BENCH_PG_PID"), CultureInfo.InvariantCulture, out var postgres)
            ? new ServerProcesses(api, postgres)
            : null;

    public CpuSample Sample()
    {
        using var self = Process.GetCurrentProcess();
        return new CpuSample(TreeSeconds(apiPid), TreeSeconds(postgresPid), self.TotalProcessorTime.TotalSeconds);
    }

    /// <summary>
    /// User + system seconds of the process, its live children and its reaped ones: PostgreSQL's backends come and
    /// go, and a backend that exited is counted in its parent's children times.
    /// </summary>
    public static double TreeSeconds(int pid)
    {
        long ticks = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), CultureInfo.InvariantCulture, out var candidate))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue; // gone meanwhile
            }

            // Fields after the command name, which is in parentheses and may hold spaces: [0] is field 3 (state).
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
            if (candidate == pid || parent == pid)
            {
                ticks += Field(fields, 14) + Field(fields, 15) + Field(fields, 16) + Field(fields, 17);
            }
        }

        return ticks / TicksPerSecond;
    }

    private static long Field(string[] fields, int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
}
