using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;

namespace Nio.Api.Chat;

/// <summary>
/// Sends a room's events to everyone in it, in order, from one loop per room, so whoever caused an event (a chat
/// message, a gift) is answered as soon as it is stored and never waits for the fan-out to thousands of viewers.
/// A room's queue is bounded: if the room cannot keep up, its oldest unsent events are dropped, never the sender
/// held back. Each send only starts the writes; a viewer whose connection is slow to drain is waited for by nobody
/// but the loop's bounded window of unfinished sends.
/// </summary>
public sealed partial class RoomBroadcaster(IHubContext<RoomHub> hub, ILogger<RoomBroadcaster> logger)
{
    /// <summary>Events waiting to be sent in one room.</summary>
    public const int QueueLimit = 4096;

    /// <summary>Sends of one room still being written to slow connections before the loop waits for the oldest.</summary>
    private const int UnfinishedSendLimit = 256;

    private static readonly TimeSpan IdleLifetime = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan SlowSendPatience = TimeSpan.FromSeconds(2);

    private readonly Lock gate = new();
    private readonly Dictionary<Guid, Channel<(string Method, object Payload)>> rooms = [];

    public void Send(Guid streamId, string method, object payload)
    {
        lock (gate)
        {
            if (!rooms.TryGetValue(streamId, out var queue))
            {
                queue = Channel.CreateBounded<(string, object)>(new BoundedChannelOptions(QueueLimit)
                {
                    FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true,
                });
                rooms[streamId] = queue;
                _ = PumpAsync(streamId, queue);
            }

            queue.Writer.TryWrite((method, payload));
        }
    }

    private async Task PumpAsync(Guid streamId, Channel<(string Method, object Payload)> queue)
    {
        var group = hub.Clients.Group(RoomHub.Group(streamId));
        var unfinished = new Queue<Task>();
        while (true)
        {
            using (var idle = new CancellationTokenSource(IdleLifetime))
            {
                try
                {
                    await queue.Reader.WaitToReadAsync(idle.Token);
                }
                catch (OperationCanceledException)
                {
                    lock (gate)
                    {
                        if (queue.Reader.Count == 0)
                        {
                            rooms.Remove(streamId);
                            return;
                        }
                    }
                }
            }

            while (queue.Reader.TryRead(out var item))
            {
                try
                {
                    unfinished.Enqueue(group.SendAsync(item.Method, item.Payload));
                    while (unfinished.Count > 0 && (unfinished.Peek().IsCompleted || unfinished.Count > UnfinishedSendLimit))
                    {
                        var oldest = unfinished.Dequeue();
                        if (!oldest.IsCompleted && await Task.WhenAny(oldest, Task.Delay(SlowSendPatience)) != oldest)
                        {
                            LogSlowRoom(streamId);
                        }
                        else if (oldest.Exception is { } failure)
                        {
                            LogSendFailed(failure, "an event", streamId);
                        }
                    }
                }
                catch (Exception exception)
                {
                    LogSendFailed(exception, item.Method, streamId);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream {StreamId}: a viewer's connection is slow to take the room's events")]
    private partial void LogSlowRoom(Guid streamId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream {StreamId}: {Method} could not be sent to the room")]
    private partial void LogSendFailed(Exception exception, string method, Guid streamId);
}
