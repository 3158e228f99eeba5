using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Nio.Bench.Clients;

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

    /// <summary>
    /// A viewer is a plain WebSocket speaking SignalR's JSON hub protocol itself, like the floor's clients, so both
    /// sides pay the same for their viewers and the comparison measures the servers (the .NET SignalR client costs
    /// about 40 % more CPU per delivered message than a plain socket, on the same cores as the servers).
    /// </summary>
    public async Task<IAsyncDisposable> JoinAsViewerAsync(Action<string> onText, Action onClosed, CancellationToken cancellationToken)
    {
        var joined = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var url = new UriBuilder(hub) { Scheme = hub.Scheme == "https" ? "wss" : "ws" }.Uri;
        var socket = await TextSocket.ConnectAsync(url, frame => HubProtocol.Read(frame, onText, joined), onClosed, cancellationToken);
        try
        {
            await socket.SendAsync(HubProtocol.Handshake);
            await socket.SendAsync(HubProtocol.Invocation("0", "JoinStream", streamId));
            await joined.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            return new HubViewer(socket);
        }
        catch
        {
            await socket.DisposeAsync();
            throw;
        }
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

    /// <summary>A viewer's socket, pinging the hub as SignalR clients do so the server keeps it.</summary>
    private sealed class HubViewer : IAsyncDisposable
    {
        private readonly TextSocket socket;
        private readonly Timer ping;

        public HubViewer(TextSocket socket)
        {
            this.socket = socket;
            ping = new Timer(_ => _ = socket.SendAsync(HubProtocol.Ping).ContinueWith(t => _ = t.Exception, TaskScheduler.Default), null, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(15));
        }

        public async ValueTask DisposeAsync()
        {
            await ping.DisposeAsync();
            await socket.DisposeAsync();
        }
    }

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
        await TextSocket.ConnectAsync(url, onText, onClosed, cancellationToken);

    public async Task<ISender> JoinAsSenderAsync(int index, CancellationToken cancellationToken) =>
        await TextSocket.ConnectAsync(url, _ => { }, () => { }, cancellationToken);
}

/// <summary>A client WebSocket of text messages: one receive loop handing each message over, sends one at a time.</summary>
public sealed class TextSocket : ISender
{
    private readonly ClientWebSocket socket;
    private readonly Action<string> onText;
    private readonly Action onClosed;
    private readonly SemaphoreSlim sendGate = new(1, 1); // a WebSocket takes one send at a time
    private readonly CancellationTokenSource stop = new();
    private Task receiving = Task.CompletedTask;

    private TextSocket(ClientWebSocket socket, Action<string> onText, Action onClosed)
    {
        this.socket = socket;
        this.onText = onText;
        this.onClosed = onClosed;
    }

    public static async Task<TextSocket> ConnectAsync(Uri url, Action<string> onText, Action onClosed, CancellationToken cancellationToken)
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

        var connection = new TextSocket(socket, onText, onClosed);
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

/// <summary>The few records of SignalR's JSON hub protocol a viewer needs: each ends with 0x1E.</summary>
public static class HubProtocol
{
    private const char Separator = '\u001e';

    public static readonly string Handshake = """{"protocol":"json","version":1}""" + Separator;

    public static readonly string Ping = """{"type":6}""" + Separator;

    public static string Invocation(string id, string target, params string[] arguments) =>
        JsonSerializer.Serialize(new { type = 1, invocationId = id, target, arguments }) + Separator;

    /// <summary>Hands the text of each <c>message</c> event on, and completes <paramref name="joined"/> when the join is answered.</summary>
    public static void Read(string frame, Action<string> onText, TaskCompletionSource joined)
    {
        foreach (var record in frame.Split(Separator, StringSplitOptions.RemoveEmptyEntries))
        {
            using var json = JsonDocument.Parse(record);
            var root = json.RootElement;
            if (!root.TryGetProperty("type", out var type))
            {
                continue; // the handshake's answer
            }

            switch (type.GetInt32())
            {
                case 1 when root.GetProperty("target").GetString() == "message":
                    onText(root.GetProperty("arguments")[0].GetProperty("text").GetString()!);
                    break;
                case 3 when root.TryGetProperty("error", out var error):
                    joined.TrySetException(new InvalidOperationException(error.GetString()));
                    break;
                case 3:
                    joined.TrySetResult();
                    break;
                case 7:
                    joined.TrySetException(new InvalidOperationException("The hub closed the connection."));
                    break;
            }
        }
    }
}
