using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Nio.Bench.Chat;

/// <summary>A chat room as the benchmark's clients reach it: viewers that read, one sender that writes.</summary>
public interface IRoom
{
    string Name { get; }

    /// <summary>Connects one viewer; <paramref name="onText"/> gets every chat message's text as it arrives.</summary>
    Task<IAsyncDisposable> JoinAsViewerAsync(Action<string> onText, Action onClosed, CancellationToken cancellationToken);

    /// <summary>Connects sender number <paramref name="index"/> (from 0).</summary>
    Task<ISender> JoinAsSenderAsync(int index, CancellationToken cancellationToken);
}

public interface ISender : IAsyncDisposable
{
    /// <summary>Completes when the server has taken the message (NIO: the hub answered the invocation).</summary>
    Task SendAsync(string text);
}

/// <summary>NIO's room: SignalR over WebSockets (no negotiation) to <c>/hubs/stream</c>, as the web app connects.</summary>
/// <remarks>Sender <c>i</c> signs in with <c>senderTokens[i]</c>.</remarks>
public sealed class NioRoom(Uri hub, string streamId, IReadOnlyList<string> senderTokens) : IRoom
{
    public string Name => "NIO";

    public async Task<IAsyncDisposable> JoinAsViewerAsync(Action<string> onText, Action onClosed, CancellationToken cancellationToken)
    {
        var connection = Build(token: null);
        connection.On<MessageEvent>("message", message => onText(message.Text));
        connection.Closed += _ =>
        {
            onClosed();
            return Task.CompletedTask;
        };
        return await StartAsync(connection, cancellationToken);
    }

    public async Task<ISender> JoinAsSenderAsync(int index, CancellationToken cancellationToken) =>
        new Sender(await StartAsync(Build(senderTokens[index]), cancellationToken), streamId);

    private HubConnection Build(string? token)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(hub, HttpTransportType.WebSockets, options =>
            {
                options.SkipNegotiation = true;
                if (token is not null)
                {
                    options.AccessTokenProvider = () => Task.FromResult<string?>(token);
                }
            })
            .Build();
        // The room's other events reach every viewer too; they are read and let go.
        connection.On<JsonElement>("system", _ => { });
        connection.On<JsonElement>("viewerCount", _ => { });
        return connection;
    }

    private async Task<HubConnection> StartAsync(HubConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await connection.StartAsync(cancellationToken);
            await connection.InvokeAsync<JsonElement>("JoinStream", streamId, cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The part of the hub's <c>message</c> event the benchmark reads.</summary>
    private sealed record MessageEvent(long Id, string Text);

    private sealed class Sender(HubConnection connection, string streamId) : ISender
    {
        public Task SendAsync(string text) => connection.InvokeAsync<JsonElement>("SendMessage", streamId, text);

        public ValueTask DisposeAsync() => connection.DisposeAsync();
    }
}

/// <summary>The floor server's room: one plain WebSocket per client, text messages both ways.</summary>
public sealed class FloorRoom(Uri url) : IRoom
{
    public string Name => "floor";

    public async Task<IAsyncDisposable> JoinAsViewerAsync(Action<string> onText, Action onClosed, CancellationToken cancellationToken) =>
        await FloorConnection.ConnectAsync(url, onText, onClosed, cancellationToken);

    public async Task<ISender> JoinAsSenderAsync(int index, CancellationToken cancellationToken) =>
        await FloorConnection.ConnectAsync(url, _ => { }, () => { }, cancellationToken);

    private sealed class FloorConnection : ISender
    {
        private readonly ClientWebSocket socket;
        private readonly Action<string> onText;
        private readonly Action onClosed;
        private readonly SemaphoreSlim sendGate = new(1, 1); // a WebSocket takes one send at a time
        private readonly CancellationTokenSource stop = new();
        private Task receiving = Task.CompletedTask;

        private FloorConnection(ClientWebSocket socket, Action<string> onText, Action onClosed)
        {
            this.socket = socket;
            this.onText = onText;
            this.onClosed = onClosed;
        }

        public static async Task<FloorConnection> ConnectAsync(Uri url, Action<string> onText, Action onClosed, CancellationToken cancellationToken)
        {
            var socket = new ClientWebSocket();
            try
            {
                await socket.ConnectAsync(url, cancellationToken);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            var connection = new FloorConnection(socket, onText, onClosed);
            connection.receiving = connection.ReceiveLoopAsync();
            return connection;
        }

        public async Task SendAsync(string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            await sendGate.WaitAsync();
            try
            {
                await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, stop.Token);
            }
            finally
            {
                sendGate.Release();
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
            {
            }

            await stop.CancelAsync();
            await receiving;
            socket.Dispose();
            stop.Dispose();
            sendGate.Dispose();
        }

        private async Task ReceiveLoopAsync()
        {
            var buffer = new byte[4096];
            try
            {
                while (true)
                {
                    var length = 0;
                    ValueWebSocketReceiveResult result;
                    do
                    {
                        if (length == buffer.Length)
                        {
                            Array.Resize(ref buffer, buffer.Length * 2);
                        }

                        result = await socket.ReceiveAsync(buffer.AsMemory(length), stop.Token);
                        length += result.Count;
                    }
                    while (!result.EndOfMessage);

                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        break;
                    }

                    onText(Encoding.UTF8.GetString(buffer, 0, length));
                }
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
            {
            }

            onClosed();
        }
    }
}
