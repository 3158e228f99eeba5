using Nio.Api.Gifts;

namespace Nio.Api.Chat;

/// <summary>System messages that stay in a room's history: the stream started or ended, a moderator acted.</summary>
public sealed partial class RoomEvents(ChatRepository chat, RoomBroadcaster broadcaster, ILogger<RoomEvents> logger)
{
    public Task StreamStartedAsync(Guid streamId, CancellationToken cancellationToken) => PostAsync(streamId, SystemLines.StreamStarted(), cancellationToken);

    public Task StreamEndedAsync(Guid streamId, bool forGood, CancellationToken cancellationToken) =>
        PostAsync(streamId, SystemLines.StreamEnded(forGood), cancellationToken);

    public Task GiftAsync(Guid streamId, GiftSent sent, CancellationToken cancellationToken) => PostAsync(streamId, SystemLines.Gift(sent), cancellationToken);

    public Task TitleChangedAsync(Guid streamId, string title, CancellationToken cancellationToken) =>
        PostAsync(streamId, SystemLines.TitleChanged(title), cancellationToken);

    /// <summary>A moderator's action, told as one of <see cref="SystemLines"/>' moderation lines.</summary>
    public Task ModeratedAsync(Guid streamId, SystemLine line, CancellationToken cancellationToken) => PostAsync(streamId, line, cancellationToken);

    /// <summary>An event for everyone in the room that is not kept in its history (gifts' animations).</summary>
    public void Broadcast(Guid streamId, string method, object payload) => broadcaster.Send(streamId, method, payload);

    /// <summary>Stores and sends the message. A failure is logged, never thrown: the event it reports has happened.</summary>
    private async Task PostAsync(Guid streamId, SystemLine line, CancellationToken cancellationToken)
    {
        try
        {
            var message = await chat.AddSystemMessageAsync(streamId, line, cancellationToken);
            broadcaster.Send(streamId, "system", SystemEvent.Of(streamId, line, message.Id, message.SentAt));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogPostFailed(exception, line.Code, streamId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "System message {Code} for stream {StreamId} could not be posted")]
    private partial void LogPostFailed(Exception exception, string code, Guid streamId);
}
