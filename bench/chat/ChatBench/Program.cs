// The two sides of bench/chat/run.sh: "floor" is the smallest WebSocket broadcast server (the transport's floor),
// "clients" connects many viewers and one sender (or a few) to a room — on the floor server or on NIO's hub — and reports what
// reached the viewers and how late.
using System.Globalization;
using Nio.Bench.Chat;
using Nio.Bench.Clients;

switch (args)
{
    case ["floor", var port, var queueLimit]:
        await FloorServer.RunAsync(Int(port), Int(queueLimit));
        return 0;
    case ["clients", "floor", var url, .. var rest] when Settings.TryParse(rest, out var settings):
        return await Harness.RunAsync(new FloorRoom(new Uri(url)), settings);
    case ["clients", "nio", var url, var streamId, .. var rest] when Settings.TryParse(rest, out var settings):
        var tokens = (Environment.GetEnvironmentVariable("NIO_BENCH_SENDER_TOKENS") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length < settings.Senders)
        {
            throw new InvalidOperationException($"NIO_BENCH_SENDER_TOKENS must hold {settings.Senders} access tokens (separated by spaces).");
        }

        return await Harness.RunAsync(new NioRoom(new Uri(url), streamId, tokens), settings);
    default:
        Console.Error.WriteLine("usage: ChatBench floor PORT QUEUE_LIMIT");
        Console.Error.WriteLine("       ChatBench clients floor WS_URL CLIENTS RATE WARMUP_SECONDS SECONDS BATCH SENDERS RESULT_FILE");
        Console.Error.WriteLine("       ChatBench clients nio HUB_URL STREAM_ID CLIENTS RATE WARMUP_SECONDS SECONDS BATCH SENDERS RESULT_FILE");
        Console.Error.WriteLine("         (the senders' access tokens in NIO_BENCH_SENDER_TOKENS, separated by spaces)");
        return 2;
}

static int Int(string value) => int.Parse(value, CultureInfo.InvariantCulture);
