using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Nio.Bench.Chat;

/// <summary>
/// The least a chat server over WebSockets has to do: Kestrel, <c>UseWebSockets</c>, and every text message any
/// client sends written to every connected socket. Each socket has its own bounded send queue and one send loop, so a
/// slow client never holds up the others; a message that finds a client's queue full is dropped for that client (and
/// counted), as a real chat server would do rather than buffer without end.
/// </summary>
public static class FloorServer
{
    /// <summary>The hub's own limit (<c>MaximumReceiveMessageSize</c>).</summary>
    private const int MaxMessageBytes = 16 * 1024;

    public static async Task RunAsync(int port, int queueLimit)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var room = new Room(queueLimit);
        app.UseWebSockets();
        app.MapGet("/healthz", () => "ok");
        app.Map("/ws", async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await room.ServeAsync(socket, context.RequestAborted);
        });
        app.Lifetime.ApplicationStopping.Register(() => Console.WriteLine(
            $"floor server: {room.Broadcasts} messages broadcast, {room.Dropped} dropped at full send queues (limit {queueLimit} per client)"));
        await app.RunAsync();
    }

    private sealed class Room(int queueLimit)
    {
        private readonly ConcurrentDictionary<Member, byte> members = new();
        private long dropped;
        private long broadcasts;

        public long Dropped => Interlocked.Read(ref dropped);

        public long Broadcasts => Interlocked.Read(ref broadcasts);

        public async Task ServeAsync(WebSocket socket, CancellationToken aborted)
        {
            var member = new Member(socket, queueLimit);
            members.TryAdd(member, 0);
            var sending = member.SendLoopAsync(aborted);
            try
            {
                var buffer = new byte[MaxMessageBytes];
                while (true)
                {
                    var length = 0;
                    ValueWebSocketReceiveResult result;
                    do
                    {
                        if (length == buffer.Length)
                        {
                            await socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, "message too big", aborted);
                            return;
                        }

                        result = await socket.ReceiveAsync(buffer.AsMemory(length), aborted);
                        length += result.Count;
                    }
                    while (!result.EndOfMessage);

                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, aborted);
                        return;
                    }

                    if (result.MessageType == WebSocketMessageType.Text)
                    {
                        Broadcast(buffer.AsSpan(0, length).ToArray());
                    }
                }
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
            {
                // The client went away.
            }
            finally
            {
                members.TryRemove(member, out _);
                member.Queue.Writer.TryComplete();
                await sending;
            }
        }

        // One copy of the message for everyone; writing it never waits.
        private void Broadcast(byte[] message)
        {
            Interlocked.Increment(ref broadcasts);
            foreach (var member in members.Keys)
            {
                if (!member.Queue.Writer.TryWrite(message))
                {
                    Interlocked.Increment(ref dropped);
                }
            }
        }
    }

    private sealed class Member(WebSocket socket, int queueLimit)
    {
        public Channel<byte[]> Queue { get; } = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(queueLimit)
        {
            SingleReader = true, FullMode = BoundedChannelFullMode.Wait,
        });

        public async Task SendLoopAsync(CancellationToken aborted)
        {
            try
            {
                await foreach (var message in Queue.Reader.ReadAllAsync(aborted))
                {
                    await socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, aborted);
                }
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
            {
                // The client went away; the receive loop ends too.
            }
        }
    }
}
