using System.Globalization;
using Microsoft.AspNetCore.SignalR;
using Nio.Api.Audit;
using Nio.Api.Users;

namespace Nio.Api.Chat;

/// <summary>
/// What moderating a room does, whoever asks: the room's moderators through the hub and the platform's operators
/// through the admin Api. Each action is stored, audited and shown to the room live; who may ask is the caller's to
/// decide, except the rules about whom a sanction may hit (<see cref="SanctionRefusalAsync"/>).
/// </summary>
public sealed class ChatModeration(
    ChatRepository chat, RoomEvents events, RoomBroadcaster broadcaster, RoomPresence presence, IHubContext<RoomHub> hub,
    ModerationFeed feed, AuditLog audit)
{
    /// <summary>Deletes a message (of the room, or of any room when <paramref name="streamId"/> is null); null when there is no such live message.</summary>
    public async Task<ChatMessage?> DeleteMessageAsync(Guid? streamId, long messageId, Guid moderatorId, string? reason, CancellationToken cancellationToken)
    {
        var deleted = await chat.DeleteMessageAsync(streamId, messageId, moderatorId, cancellationToken);
        if (deleted is null)
        {
            return null;
        }

        await audit.RecordAsync(new AuditRecord(moderatorId, "chat.message.delete", "chat_message", messageId.ToString(CultureInfo.InvariantCulture))
        {
            Reason = reason, Before = deleted, Details = new { deleted.StreamId, deleted.UserId, deleted.Text },
        }, cancellationToken);
        var gone = new MessageDeletedEvent(deleted.StreamId, messageId);
        broadcaster.Send(deleted.StreamId, "messageDeleted", gone);
        feed.MessageDeleted(gone);
        return deleted;
    }

    /// <summary>
    /// Why <paramref name="caller"/> may not sanction <paramref name="target"/> in the room, or null when they may: never
    /// the streamer or oneself; a moderator or an admin only when the caller is the streamer or an admin.
    /// </summary>
    public async Task<Refusal?> SanctionRefusalAsync(RoomRow room, UserRow target, Guid caller, bool callerIsAdmin, CancellationToken cancellationToken)
    {
        if (target.Id == room.ChannelId)
        {
            return Refusals.StreamerUnsanctionable();
        }

        if (target.Id == caller)
        {
            return Refusals.CannotSanctionSelf();
        }

        var callerIsBoss = room.ChannelId == caller || callerIsAdmin;
        if (!callerIsBoss && (target.IsAdmin || (await chat.GetRoomAndSenderAsync(room.StreamId, target.Id, cancellationToken)).Sender?.Moderator == true))
        {
            return Refusals.OnlyBossSanctionsModerators();
        }

        return null;
    }

    /// <summary>Mutes the user in the room for <paramref name="seconds"/>: they can still read.</summary>
    public async Task TimeoutAsync(RoomRow room, UserRow target, int seconds, Guid moderatorId, string? reason, CancellationToken cancellationToken)
    {
        await chat.SanctionAsync(room.ChannelId, target.Id, "timeout", DateTime.UtcNow.AddSeconds(seconds), moderatorId, cancellationToken);
        await audit.RecordAsync(new AuditRecord(moderatorId, "chat.user.timeout", "user", target.Id.ToString())
        {
            Reason = reason, Details = new { room.StreamId, seconds },
        }, cancellationToken);
        await events.ModeratedAsync(room.StreamId, SystemLines.TimedOut(target.DisplayName, seconds), cancellationToken);
    }

    /// <summary>Bans the user from the room (this streamer's rooms, now and later) and takes them out of it.</summary>
    public async Task BanAsync(RoomRow room, UserRow target, Guid moderatorId, string? reason, CancellationToken cancellationToken)
    {
        await chat.SanctionAsync(room.ChannelId, target.Id, "ban", null, moderatorId, cancellationToken);
        await audit.RecordAsync(new AuditRecord(moderatorId, "chat.user.ban", "user", target.Id.ToString())
        {
            Reason = reason, Details = new { room.StreamId },
        }, cancellationToken);
        // Out of the room here; connections on other instances can no longer send and cannot join again.
        foreach (var connection in presence.ConnectionsOf(target.Id, room.StreamId))
        {
            presence.Leave(connection, room.StreamId);
            await hub.Groups.RemoveFromGroupAsync(connection, RoomHub.Group(room.StreamId), cancellationToken);
        }

        await events.ModeratedAsync(room.StreamId, SystemLines.BannedFromRoom(target.DisplayName), cancellationToken);
    }

    /// <summary>
    /// Tells the rooms a user banned from the platform is in (through this instance) or wrote in within the last hour
    /// that they were banned, and stops sending them those rooms' events here. They stay counted in the room, so what
    /// they still try to send is answered "Your account is banned." until their connection ends with their session.
    /// </summary>
    public async Task PlatformBannedAsync(Guid userId, string displayName, CancellationToken cancellationToken)
    {
        var rooms = presence.RoomsOf(userId).Union(await chat.LiveRoomsWrittenInAsync(userId, DateTime.UtcNow.AddHours(-1), cancellationToken));
        foreach (var streamId in rooms)
        {
            foreach (var connection in presence.ConnectionsOf(userId, streamId))
            {
                await hub.Groups.RemoveFromGroupAsync(connection, RoomHub.Group(streamId), cancellationToken);
            }

            await events.ModeratedAsync(streamId, SystemLines.BannedFromNio(displayName), cancellationToken);
        }
    }

    /// <summary>Lifts the user's ban and timeout in the room; false when there was none.</summary>
    public async Task<bool> LiftAsync(RoomRow room, UserRow target, Guid moderatorId, string? reason, CancellationToken cancellationToken)
    {
        if (!await chat.LiftSanctionsAsync(room.ChannelId, target.Id, cancellationToken))
        {
            return false;
        }

        await audit.RecordAsync(new AuditRecord(moderatorId, "chat.user.unban", "user", target.Id.ToString())
        {
            Reason = reason, Details = new { room.StreamId },
        }, cancellationToken);
        await events.ModeratedAsync(room.StreamId, SystemLines.MayChatAgain(target.DisplayName), cancellationToken);
        return true;
    }

    /// <summary>Replaces the room's blocked words (already normalized).</summary>
    public async Task SetBlockedWordsAsync(RoomRow room, IReadOnlyList<string> words, Guid moderatorId, string? reason, CancellationToken cancellationToken)
    {
        await chat.SetBlockedWordsAsync(room.ChannelId, words, cancellationToken);
        await audit.RecordAsync(new AuditRecord(moderatorId, "chat.room.blocked_words", "user", room.ChannelId.ToString())
        {
            Reason = reason, Before = room.BlockedWords, After = words, Details = new { room.StreamId, words },
        }, cancellationToken);
    }
}
