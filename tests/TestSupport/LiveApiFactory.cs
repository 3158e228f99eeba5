using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace Nio.TestSupport;

/// <summary>
/// The real Api on a real loopback port (Kestrel), for clients that need a real socket: SignalR over WebSockets.
/// Chat limits stay at their defaults unless a subclass changes them.
/// </summary>
public class LiveApiFactory : ApiFactory
{
    public LiveApiFactory()
    {
        UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, Port);
            kestrel.Listen(IPAddress.Loopback, InternalPort);
        });
    }

    public int Port { get; } = TestHost.FreePort();

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    protected override Dictionary<string, string?> Settings
    {
        get
        {
            var settings = base.Settings;
            settings["Http:Port"] = Port.ToString(CultureInfo.InvariantCulture);
            // Every test client comes from 127.0.0.1.
            settings["Chat:MaxConnectionsPerAddress"] = "1000";
            settings["Chat:JoinAnnouncementSeconds"] = "1";
            return settings;
        }
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        StartServer();
    }

    protected override HttpClient NewClient() => new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(BaseUrl) };

    protected override HttpClient NewInternalClient() => new() { BaseAddress = new Uri(InternalUrl) };

    /// <summary>A real socket: other services in the test reach the internal listener on its loopback port.</summary>
    public override HttpMessageHandler InternalHandler() => new SocketsHttpHandler();

    public override string InternalUrl => $"http://127.0.0.1:{InternalPort}";

    /// <summary>A started SignalR connection to the room hub, signed in with the token when one is given.</summary>
    public Task<RoomClient> ConnectAsync(string? accessToken = null, IReadOnlyDictionary<string, string>? headers = null) =>
        RoomClient.ConnectAsync(BaseUrl, accessToken, headers);
}

/// <summary>A SignalR client of <c>/hubs/stream</c> that records every event it receives.</summary>
public sealed class RoomClient : IAsyncDisposable
{
    private readonly List<(string Name, JsonElement Payload)> events = [];
    private readonly SemaphoreSlim arrived = new(0);

    private RoomClient(HubConnection connection) => Connection = connection;

    public HubConnection Connection { get; }

    /// <summary><paramref name="headers"/> go on the WebSocket upgrade request (a proxy's <c>X-Forwarded-For</c>, say).</summary>
    public static async Task<RoomClient> ConnectAsync(string baseUrl, string? accessToken, IReadOnlyDictionary<string, string>? headers = null)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl($"{baseUrl}/hubs/stream", options =>
            {
                options.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
                if (accessToken is not null)
                {
                    options.AccessTokenProvider = () => Task.FromResult<string?>(accessToken);
                }

                foreach (var (name, value) in headers ?? new Dictionary<string, string>())
                {
                    options.Headers[name] = value;
                }
            })
            .Build();
        var client = new RoomClient(connection);
        foreach (var name in new[] { "message", "messageDeleted", "reaction", "system", "viewerCount", "gift", "error" })
        {
            connection.On<JsonElement>(name, payload => client.Record(name, payload));
        }

        await connection.StartAsync();
        return client;
    }

    public IReadOnlyList<JsonElement> Events(string name)
    {
        lock (events)
        {
            return events.Where(e => e.Name == name).Select(e => e.Payload).ToList();
        }
    }

    /// <summary>Waits until an event of that name matching the condition has arrived (10 s at most) and returns it.</summary>
    public async Task<JsonElement> WaitForAsync(string name, Func<JsonElement, bool>? condition = null, int seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var match = Events(name).Where(condition ?? (_ => true)).Select(e => (JsonElement?)e).FirstOrDefault();
            if (match is { } found)
            {
                return found;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"No matching '{name}' event within {seconds} s; got: {string.Join(", ", Events(name))}");
            }

            await arrived.WaitAsync(left);
        }
    }

    /// <summary>Waits until the latest event of that name matches the condition (10 s at most).</summary>
    public Task WaitForLatestAsync(string name, Func<JsonElement, bool> condition) =>
        WaitForAsync(name, e => Events(name)[^1].GetRawText() == e.GetRawText() && condition(e));

    public Task<JsonElement> JoinAsync(Guid streamId) => Connection.InvokeAsync<JsonElement>("JoinStream", streamId.ToString());

    public Task<JsonElement> SendAsync(Guid streamId, string text) =>
        Connection.InvokeAsync<JsonElement>("SendMessage", streamId.ToString(), text);

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();

    private void Record(string name, JsonElement payload)
    {
        lock (events)
        {
            events.Add((name, payload.Clone()));
        }

        arrived.Release();
    }
}
