using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Order;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Nio.Bench.Srtp;
using Nio.WebRtc.Srtp;
using Nio.WebRtc.Tests.Srtp;

if (LibSrtp.Unavailable() is { } missing)
{
    Console.Error.WriteLine(missing);
    return 1;
}

// Iterations of one batch each (fresh receivers before every one). In process: both sides are measured in this one
// Release build, and no second build of the project has to fit BenchmarkDotNet's build timeout on a busy machine.
// FIRST=libsrtp measures libsrtp before NIO for each profile (run.sh alternates, so a machine whose load drifts
// favours neither side).
var iterations = int.TryParse(Environment.GetEnvironmentVariable("ITERATIONS"), out var count) ? count : 30;
var methodOrder = Environment.GetEnvironmentVariable("FIRST") == "libsrtp" ? MethodOrderPolicy.Alphabetical : MethodOrderPolicy.Declared;
var config = DefaultConfig.Instance
    .WithOrderer(new DefaultOrderer(SummaryOrderPolicy.Default, methodOrder))
    .AddJob(Job.Default.WithWarmupCount(5).WithIterationCount(iterations).WithInvocationCount(1).WithUnrollFactor(1)
        .WithToolchain(InProcessEmitToolchain.Instance))
    .AddColumn(StatisticColumn.Median)
    .WithArtifactsPath(args.FirstOrDefault() ?? Path.Combine(Path.GetTempPath(), "nio-bench-srtp"));
var summary = BenchmarkRunner.Run<UnprotectBenchmark>(config);

// Packets per second on one core, from the median time per packet (the machine is shared: a mean would carry every
// iteration another process interrupted), and NIO / libsrtp for each profile.
Console.WriteLine();
Console.WriteLine($"SRTP unprotect, {UnprotectBenchmark.RtpPacketLength}-byte RTP packets, one core, {(methodOrder == MethodOrderPolicy.Declared ? "NIO" : "libsrtp")} measured first (target: NIO >= 100,000 packets/s)");
Console.WriteLine($"{"profile",-22} {"NIO packets/s",14} {"libsrtp packets/s",18} {"NIO / libsrtp",14}");
var failed = false;
foreach (var profile in new[] { SrtpProfile.AesCm128HmacSha1_80, SrtpProfile.AeadAes128Gcm })
{
    double PacketsPerSecond(string method)
    {
        var report = summary.Reports.SingleOrDefault(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method
            && Equals(r.BenchmarkCase.Parameters["Profile"], profile));
        if (report?.ResultStatistics is not { } statistics)
        {
            failed = true;
            return double.NaN;
        }

        return 1e9 / statistics.Median;
    }

    var nio = PacketsPerSecond(nameof(UnprotectBenchmark.Nio));
    var libsrtp = PacketsPerSecond(nameof(UnprotectBenchmark.LibSrtp));
    Console.WriteLine($"{profile,-22} {nio,14:N0} {libsrtp,18:N0} {nio / libsrtp,14:F2}");
}

return failed ? 1 : 0;
