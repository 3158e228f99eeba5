// The client side of bench/soak/run.sh: a live audience and chatters on a running NIO for a while, with the services'
// memory, descriptors and threads sampled from /proc as it goes.
using System.Globalization;
using Nio.Bench.Clients;
using Nio.Bench.Soak;

if (args is not [var origin, var stream, var hub, var minutes, var warmupMinutes, var sampleSeconds, var viewers, var viewerMinutes,
    var chatViewers, var chatters, var chatSeconds, .. var processes] || processes.Length == 0)
{
    Console.Error.WriteLine("usage: SoakBench ORIGIN_URL STREAM_ID HUB_URL MINUTES WARMUP_MINUTES SAMPLE_SECONDS VIEWERS VIEWER_MINUTES");
    Console.Error.WriteLine("         CHAT_VIEWERS CHATTERS CHAT_SECONDS SERVICE=PID...");
    Console.Error.WriteLine("  (the chatters' access tokens in NIO_BENCH_SENDER_TOKENS, separated by spaces; VIEWER_MINUTES 0: viewers stay the whole run)");
    return 2;
}

var settings = new SoakSettings(
    TimeSpan.FromMinutes(Number(minutes)), TimeSpan.FromMinutes(Number(warmupMinutes)), TimeSpan.FromSeconds(Number(sampleSeconds)),
    (int)Number(viewers), TimeSpan.FromMinutes(Number(viewerMinutes)), (int)Number(chatViewers), (int)Number(chatters), TimeSpan.FromSeconds(Number(chatSeconds)));
var services = processes.Select(p => p.Split('=', 2)).Select(p => new Service(p[0], int.Parse(p[1], CultureInfo.InvariantCulture))).ToList();
var tokens = (Environment.GetEnvironmentVariable("NIO_BENCH_SENDER_TOKENS") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
if (tokens.Length < settings.Chatters)
{
    Console.Error.WriteLine($"NIO_BENCH_SENDER_TOKENS must hold {settings.Chatters} access tokens (separated by spaces).");
    return 2;
}

var room = new NioRoom(new Uri(hub), stream, tokens);
return await Soak.RunAsync(new Audience(new Uri(origin), Guid.Parse(stream), room, settings), new Chatters(room, settings), services, settings);

static double Number(string value) => double.Parse(value, CultureInfo.InvariantCulture);
