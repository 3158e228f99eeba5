using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Nio.Api.Auth;

namespace Nio.Api.Chat;

/// <summary>What the operators' live chat feed receives.</summary>
public interface IModerationClient
{
    /// <summary>A user's message, just sent in any room.</summary>
    Task ChatMessage(AdminChatMessage message);

    /// <summary>A message deleted, by anyone.</summary>
    Task ChatMessageDeleted(MessageDeletedEvent deleted);
}

/// <summary>
/// The operators' live chat feed at <c>/hubs/admin</c>: every connection (an admin or a moderator, as the database
/// says when connecting) receives the new messages of all rooms. Nothing is called on it.
/// </summary>
[Authorize(Policy = AuthSetup.StaffPolicy)]
public sealed class ModerationHub : Hub<IModerationClient>
{
    public const string Path = "/hubs/admin";

    public const string Group = "staff";

    public override Task OnConnectedAsync() => Groups.AddToGroupAsync(Context.ConnectionId, Group, Context.ConnectionAborted);
}

/// <summary>
/// Sends to the operators' feed without making the sender wait: a message is shown to its room first, and a slow
/// or failed send to operators is logged, never felt by the room.
/// </summary>
public sealed partial class ModerationFeed(IHubContext<ModerationHub, IModerationClient> hub, ILogger<ModerationFeed> logger)
{
    public void MessageSent(AdminChatMessage message) => Observe(hub.Clients.Group(ModerationHub.Group).ChatMessage(message));

    public void MessageDeleted(MessageDeletedEvent deleted) => Observe(hub.Clients.Group(ModerationHub.Group).ChatMessageDeleted(deleted));

    private void Observe(Task send)
    {
        if (!send.IsCompletedSuccessfully)
        {
            send.ContinueWith(failed => LogSendFailed(failed.Exception!), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The operators' chat feed could not be sent")]
    private partial void LogSendFailed(Exception exception);
}
