using Microsoft.AspNetCore.SignalR;

namespace Nio.Api.Chat;

/// <summary>System messages that stay in a room's history: the stream started or ended, a moderator acted.</summary>
public sealed partial class RoomEvents(ChatRepository chat, IHubContext<StreamHub> hub, ILogger<RoomEvents> logger)
{
    public Task StreamStartedAsync(Guid streamId, CancellationToken cancellationToken) =>
        PostAsync(streamId, ChatKind.StreamStarted, "The stream is live.", cancellationToken);

    public Task StreamEndedAsync(Guid streamId, bool forGood, CancellationToken cancellationToken) =>
        PostAsync(streamId, ChatKind.StreamEnded, forGood ? "The stream has ended." : "The stream went offline.", cancellationToken);

    public Task GiftAsync(Guid streamId, string text, CancellationToken cancellationToken) =>
        PostAsync(streamId, ChatKind.Gift, text, cancellationToken);

    public Task ModeratedAsync(Guid streamId, string text, CancellationToken cancellationToken) =>
        PostAsync(streamId, ChatKind.Moderation, text, cancellationToken);

    /// <summary>Stores and sends the message. A failure is logged, never thrown: the event it reports has happened.</summary>
    private async Task PostAsync(Guid streamId, string kind, string text, CancellationToken cancellationToken)
    {
        try
        {
            var message = await chat.AddSystemMessageAsync(streamId, kind, text, cancellationToken);
            await hub.Clients.Group(StreamHub.Group(streamId)).SendAsync(
                "system", new SystemEvent(streamId, kind, text, message.Id, message.SentAt), cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogPostFailed(exception, kind, streamId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "System message {Kind} for stream {StreamId} could not be posted")]
    private partial void LogPostFailed(Exception exception, string kind, Guid streamId);
}
