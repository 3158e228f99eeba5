using System.Net;

namespace Nio.Bench.Gifts;

public sealed record Sender(Guid Id, string AccessToken);

/// <summary>How the Ingest reaches the Api: its internal listener, and the Ingest's secret for it.</summary>
public sealed record IngestLink(Uri Api, string Secret);

/// <summary>What the load needs: a live stream, its streamer, and senders who hold coins.</summary>
public sealed record Prepared(Guid StreamId, string StreamKey, Guid StreamerId, IReadOnlyList<Sender> Senders, long CoinsPerSender, IngestLink Ingest);

/// <summary>Prepares the run through the Api's public endpoints and the Ingest's contract, as real clients would.</summary>
public static class Setup
{
    private const string Password = "bench-password-1";

    public static async Task<Prepared> RunAsync(BenchClient client, Credentials admin, IngestLink ingest, int senders, long coinsPerSender)
    {
        var streamer = await RegisterAsync(client, "gifts-bench-streamer");
        var stream = await client.PostAsync<StreamCredentials>("/api/streams", new { title = "gifts bench" }, streamer.AccessToken, HttpStatusCode.Created);
        await ReportLiveAsync(client, ingest, stream.Id, stream.StreamKey);

        // Password hashing makes registration CPU-heavy: a few at a time are as fast as all at once.
        var registered = new Sender[senders];
        await Parallel.ForAsync(0, senders, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            var auth = await RegisterAsync(client, $"gifts-bench-sender-{i + 1}");
            registered[i] = new Sender(auth.User.Id, auth.AccessToken);
        });

        var adminToken = (await client.PostAsync<AuthResponse>("/api/auth/login", new { email = admin.Email, password = admin.Password }, null, HttpStatusCode.OK)).AccessToken;
        await Parallel.ForEachAsync(registered, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (sender, _) =>
            await client.PostAsync($"/api/admin/users/{sender.Id}/coins",
                new { amount = coinsPerSender, reason = "gifts benchmark", idempotencyKey = Guid.NewGuid().ToString() }, adminToken, HttpStatusCode.Created));
        Console.WriteLine($"prepared: live stream {stream.Id}, {senders} senders with {coinsPerSender} coins each");
        return new Prepared(stream.Id, stream.StreamKey, streamer.User.Id, registered, coinsPerSender, ingest);
    }

    /// <summary>What the Ingest reports while a publisher is on the stream (the first report makes it live).</summary>
    public static Task ReportLiveAsync(BenchClient client, IngestLink ingest, Guid streamId, string streamKey) =>
        client.PostAsync(new Uri(ingest.Api, $"api/ingest/streams/{streamId}/live").ToString(), new { streamKey }, ingest.Secret, HttpStatusCode.NoContent);

    private static Task<AuthResponse> RegisterAsync(BenchClient client, string name) =>
        client.PostAsync<AuthResponse>("/api/auth/register", new { email = $"{name}@example.com", password = Password, displayName = name }, null, HttpStatusCode.Created);
}
