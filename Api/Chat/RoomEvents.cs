namespace Nio.Api.Chat;

/// <summary>System messages that stay in a room's history: the stream started or ended, a moderator acted.</summary>
public sealed partial class RoomEvents(ChatRepository chat, RoomBroadcaster broadcaster, ILogger<RoomEvents> logger)
{
    public Task StreamStartedAsync(Guid streamId, CancellationToken cancellationToken) =>
        PostAsync(streamId, ChatKind.StreamStarted, "The stream is live.", cancellationToken);

    public Task StreamEndedAsync(Guid streamId, bool forGood, CancellationToken cancellationToken) =>
        PostAsync(streamId, ChatKind.StreamEnded, forGood ? "The stream has ended." : "The stream went offline.", cancellationToken);

    public Task GiftAsync(Guid streamId, string text, CancellationToken cancellationToken) =>
        PostAsync(streamId, ChatKind.Gift, text, cancellationToken);

    public Task TitleChangedAsync(Guid streamId, string title, CancellationToken cancellationToken) =>
        PostAsync(streamId, ChatKind.TitleChanged, $"New title: {title}", cancellationToken);

    public Task ModeratedAsync(Guid streamId, string text, CancellationToken cancellationToken) =>
        PostAsync(streamId, ChatKind.Moderation, text, cancellationToken);

    /// <summary>An event for everyone in the room that is not kept in its history (gifts' animations).</summary>
    public void Broadcast(Guid streamId, string method, object payload) => broadcaster.Send(streamId, method, payload);

    /// <summary>Stores and sends the message. A failure is logged, never thrown: the event it reports has happened.</summary>
    private async Task PostAsync(Guid streamId, string kind, string text, CancellationToken cancellationToken)
    {
        try
        {
            var message = await chat.AddSystemMessageAsync(streamId, kind, text, cancellationToken);
            broadcaster.Send(streamId, "system", new SystemEvent(streamId, kind, text, message.Id, message.SentAt));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogPostFailed(exception, kind, streamId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "System message {Kind} for stream {StreamId} could not be posted")]
    private partial void LogPostFailed(Exception exception, string kind, Guid streamId);
}
