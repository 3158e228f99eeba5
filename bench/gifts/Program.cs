// The client side of bench/gifts/run.sh: prepares a live stream and SENDERS users with coins through the Api's own
// endpoints, then has every sender send gifts to the stream one after another and reports gifts per second.
// The admin's credentials come from the environment as the Api reads them (NIO_ADMIN_EMAIL, NIO_ADMIN_PASSWORD), and
// the Api's internal listener and the Ingest's secret for it as the Ingest reads them (NIO_API_URL,
// NIO_INGEST_TO_API_SECRET).
using System.Globalization;
using Nio.Bench.Gifts;

switch (args)
{
    case [var api, var senders, var warmup, var seconds, var grant, var result]:
        var admin = new Credentials(Required("NIO_ADMIN_EMAIL"), Required("NIO_ADMIN_PASSWORD"));
        using (var client = new BenchClient(new Uri(api), int.Parse(senders, CultureInfo.InvariantCulture)))
        {
            var ingest = new IngestLink(new Uri(Required("NIO_API_URL")), Required("NIO_INGEST_TO_API_SECRET"));
            var setup = await Setup.RunAsync(client, admin, ingest,
                int.Parse(senders, CultureInfo.InvariantCulture), long.Parse(grant, CultureInfo.InvariantCulture));
            var outcome = await GiftLoad.RunAsync(client, setup, Seconds(warmup), Seconds(seconds), ServerProcesses.FromEnvironment());
            await File.WriteAllTextAsync(result, outcome.ToResultLine(setup));
        }

        return 0;
    case ["cpu", var pid]:
        Console.WriteLine(ServerProcesses.TreeSeconds(int.Parse(pid, CultureInfo.InvariantCulture)).ToString("F2", CultureInfo.InvariantCulture));
        return 0;
    default:
        Console.Error.WriteLine("usage: GiftsBench API_URL SENDERS WARMUP_SECONDS SECONDS COINS_PER_SENDER RESULT_FILE");
        Console.Error.WriteLine("       GiftsBench cpu PID   (CPU seconds of the process, its children and its reaped children)");
        Console.Error.WriteLine("       (NIO_ADMIN_EMAIL, NIO_ADMIN_PASSWORD, NIO_API_URL and NIO_INGEST_TO_API_SECRET set; optional NIO_BENCH_API_PID, NIO_BENCH_PG_PID for CPU figures)");
        return 2;
}

static TimeSpan Seconds(string value) => TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture));

static string Required(string variable) =>
    Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value : throw new InvalidOperationException($"{variable} is not set.");
