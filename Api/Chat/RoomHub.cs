using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Nio.Api.Audit;
using Nio.Api.Streams;
using Nio.Api.Users;
using Nio.Shared.Hosting;

namespace Nio.Api.Chat;

/// <summary>
/// What a caller joining a room gets. <see cref="CanModerate"/>: the streamer, a moderator they appointed or an admin
/// (delete messages, time out, ban, slow mode, blocked words); <see cref="CanAppoint"/>: the streamer or an admin
/// (add and remove moderators).
/// </summary>
public sealed record JoinResult(Guid StreamId, int ViewerCount, IReadOnlyList<ChatMessage> Messages, bool CanModerate, bool CanAppoint);

public sealed record MessageDeletedEvent(Guid StreamId, long Id);

/// <summary>
/// The live room of every stream, at <c>/hubs/stream</c>. Anyone may join and read; sending, reacting and moderating
/// need an access token. Every refusal is a <see cref="HubException"/> whose message says why, told to the caller
/// first as an <c>error</c> event with its reason (<see cref="Refusals"/>); nothing changes then.
/// Client events: <c>message</c>, <c>messageDeleted</c>, <c>reaction</c>, <c>system</c>, <c>viewerCount</c>, <c>gift</c>, <c>error</c>.
/// </summary>
public sealed partial class RoomHub(
    ChatRepository chat, UserRepository users, RoomPresence presence, PresenceReporter reporter, Reactions reactions,
    RoomEvents events, RoomBroadcaster broadcaster, ChatModeration moderation, ModerationFeed feed, AuditLog audit, ConnectionsPerAddress addresses, IOptions<ChatOptions> options, ILogger<RoomHub> logger) : Hub
{
    public const string Path = "/hubs/stream";

    public const int MaxTimeoutSeconds = 7 * 24 * 3600;
    public const int MaxSlowModeSeconds = 3600;

    private const string ReactionLimiterKey = "reactions";
    private const string AddressKey = "address";
    private const string StandingCheckedKey = "standingChecked";

    /// <summary>How long a connection's reactions go on without asking the database whether the user is banned.</summary>
    private const long StandingRecheckMilliseconds = 5_000;

    public static string Group(Guid streamId) => $"stream:{streamId}";

    private ChatOptions Limits => options.Value;

    public override Task OnConnectedAsync()
    {
        var address = ClientAddress.Key(Context.GetHttpContext()?.Connection.RemoteIpAddress);
        if (!addresses.TryAdd(address, Limits.MaxConnectionsPerAddress))
        {
            LogTooManyConnections(address);
            throw new HubException($"Too many connections from this address (at most {Limits.MaxConnectionsPerAddress}).");
        }

        Context.Items[AddressKey] = address;
        Context.Items[StandingCheckedKey] = new Dictionary<Guid, long>();
        Context.Items[ReactionLimiterKey] = new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
        {
            PermitLimit = Limits.ReactionsPerSecond, Window = TimeSpan.FromSeconds(1), QueueLimit = 0,
        });
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        presence.Disconnect(Context.ConnectionId);
        if (Context.Items.TryGetValue(AddressKey, out var address))
        {
            addresses.Remove((string)address!);
        }

        (Context.Items.TryGetValue(ReactionLimiterKey, out var limiter) ? limiter as IDisposable : null)?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Enters the room: the caller gets the latest messages and the viewer count, then the room's events.</summary>
    public async Task<JoinResult> JoinStream(string streamId)
    {
        var (room, caller) = await RoomAndCallerAsync(streamId);
        if (caller is not null)
        {
            RefuseBanned(caller);
        }

        if (!presence.Join(Context.ConnectionId, room.StreamId, CallerId, caller?.DisplayName, Limits.MaxRoomsPerConnection))
        {
            throw Refusals.TooManyRooms(Limits.MaxRoomsPerConnection).Refuse();
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, Group(room.StreamId), Context.ConnectionAborted);
        var history = await chat.HistoryAsync(room.StreamId, before: null, Limits.HistorySize, Context.ConnectionAborted);
        // The same rules as ModeratedRoomAsync and SetModeratorAsync, from the standing already read.
        var isAdmin = caller is { Admin: true };
        var canModerate = isAdmin || caller is { Moderator: true } or { PlatformModerator: true };
        var canAppoint = isAdmin || (CallerId is { } callerId && callerId == room.ChannelId);
        return new JoinResult(room.StreamId, reporter.ViewerCount(room.StreamId), history, canModerate, canAppoint);
    }

    public async Task LeaveStream(string streamId)
    {
        var id = ParseId(streamId, "streamId");
        presence.Leave(Context.ConnectionId, id);
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, Group(id), Context.ConnectionAborted);
    }

    /// <summary>Sends a chat message to the room (which the caller must have joined) and returns it as stored.</summary>
    public async Task<ChatMessage> SendMessage(string streamId, string? text)
    {
        var userId = RequireSignedIn("chat");
        var (room, standing) = await RoomAndCallerAsync(streamId);
        RequireJoined(room.StreamId);
        // Signed in, so RoomAndCallerAsync found the caller's standing.
        var sender = standing!;
        RefuseBanned(sender);
        if (room.Status == StreamStatus.Ended)
        {
            throw Refusals.StreamEnded().Refuse();
        }

        if (sender.TimedOutUntil is { } until)
        {
            throw Refusals.TimedOut(until).Refuse();
        }

        var cleaned = ChatText.Clean(text, out var refusal) ?? throw refusal!.Refuse();
        var moderator = sender.Moderator || sender.Admin || sender.PlatformModerator;
        if (!moderator && new BlockedWords([.. room.BlockedWords, .. room.PlatformBlockedWords]).Blocks(cleaned))
        {
            throw Refusals.BlockedWord().Refuse();
        }

        var (message, held) = await chat.AddMessageAsync(
            room.StreamId, userId, sender.DisplayName, cleaned, Limits.MessagesPerWindow, TimeSpan.FromSeconds(Limits.RateWindowSeconds),
            moderator ? TimeSpan.Zero : TimeSpan.FromSeconds(room.SlowModeSeconds), Context.ConnectionAborted);
        switch (held)
        {
            case SendRefusal.RateLimited:
                throw Refusals.TooFast(Limits.MessagesPerWindow, Limits.RateWindowSeconds).Refuse(ErrorEvent.RateLimited);
            case SendRefusal.SlowMode:
                throw Refusals.SlowMode(room.SlowModeSeconds).Refuse(ErrorEvent.RateLimited);
        }

        broadcaster.Send(room.StreamId, "message", message!);
        feed.MessageSent(AdminChatMessage.From(message!, room));
        return message!;
    }

    /// <summary>
    /// Taps a reaction (one of <see cref="Reactions.Allowed"/>); the room sees the taps summed up. Taps are many and
    /// cheap, so whether the user is banned (from the room or the platform) is asked of the database at most every
    /// <see cref="StandingRecheckMilliseconds"/> per room: a ban given anywhere stops them within that time.
    /// </summary>
    public async Task React(string streamId, string? emoji)
    {
        RequireSignedIn("react");
        var id = ParseId(streamId, "streamId");
        RequireJoined(id);

        var canonical = Reactions.Canonical(emoji) ?? throw Refusals.NotAReaction(Reactions.Allowed).Refuse();
        using var lease = ((RateLimiter)Context.Items[ReactionLimiterKey]!).AttemptAcquire();
        if (!lease.IsAcquired)
        {
            throw Refusals.TooManyReactions(Limits.ReactionsPerSecond).Refuse(ErrorEvent.RateLimited);
        }

        var checkedAt = (Dictionary<Guid, long>)Context.Items[StandingCheckedKey]!;
        var now = Environment.TickCount64;
        if (!checkedAt.TryGetValue(id, out var at) || now - at >= StandingRecheckMilliseconds)
        {
            var (_, caller) = await RoomAndCallerAsync(id);
            RefuseBanned(caller!);
            // One entry per room joined since; a connection that wanders through many rooms starts over.
            if (checkedAt.Count >= Limits.MaxRoomsPerConnection)
            {
                checkedAt.Clear();
            }

            checkedAt[id] = now;
        }

        reactions.Add(id, canonical);
    }

    public async Task DeleteMessage(string streamId, long messageId)
    {
        var (room, moderatorId, _) = await ModeratedRoomAsync(streamId);
        _ = await moderation.DeleteMessageAsync(room.StreamId, messageId, moderatorId, reason: null, Context.ConnectionAborted)
            ?? throw Refusals.NoSuchMessage().Refuse();
    }

    /// <summary>Mutes a user in the room for <paramref name="seconds"/>: they can still read.</summary>
    public async Task TimeoutUser(string streamId, string userId, int seconds)
    {
        if (seconds is < 1 or > MaxTimeoutSeconds)
        {
            throw Refusals.TimeoutRange(MaxTimeoutSeconds).Refuse();
        }

        var (room, moderatorId, isAdmin) = await ModeratedRoomAsync(streamId);
        var target = await SanctionTargetAsync(room, userId, isAdmin);
        await moderation.TimeoutAsync(room, target, seconds, moderatorId, reason: null, Context.ConnectionAborted);
    }

    /// <summary>Bans a user from the room (this streamer's rooms, now and later): no joining, no sending.</summary>
    public async Task BanUser(string streamId, string userId)
    {
        var (room, moderatorId, isAdmin) = await ModeratedRoomAsync(streamId);
        var target = await SanctionTargetAsync(room, userId, isAdmin);
        await moderation.BanAsync(room, target, moderatorId, reason: null, Context.ConnectionAborted);
    }

    /// <summary>Lifts a user's ban and timeout in the room.</summary>
    public async Task UnbanUser(string streamId, string userId)
    {
        var (room, moderatorId, _) = await ModeratedRoomAsync(streamId);
        var target = await users.FindByIdAsync(ParseId(userId, "userId"), Context.ConnectionAborted) ?? throw Refusals.NoSuchUser().Refuse();
        await moderation.LiftAsync(room, target, moderatorId, reason: null, Context.ConnectionAborted);
    }

    /// <summary>One message per <paramref name="seconds"/> per user (0 turns it off); moderators are not held back.</summary>
    public async Task SetSlowMode(string streamId, int seconds)
    {
        if (seconds is < 0 or > MaxSlowModeSeconds)
        {
            throw Refusals.SlowModeRange(MaxSlowModeSeconds).Refuse();
        }

        var (room, moderatorId, _) = await ModeratedRoomAsync(streamId);
        await chat.SetSlowModeAsync(room.ChannelId, seconds, Context.ConnectionAborted);
        await audit.RecordAsync(moderatorId, "chat.room.slow_mode", "user", room.ChannelId.ToString(), new { room.StreamId, seconds }, Context.ConnectionAborted);
        await events.ModeratedAsync(room.StreamId, SystemLines.SlowMode(seconds), Context.ConnectionAborted);
    }

    /// <summary>Replaces the room's blocked words; returns the list as kept (trimmed, without repeats).</summary>
    public async Task<IReadOnlyList<string>> SetBlockedWords(string streamId, string?[]? words)
    {
        var cleaned = BlockedWords.Normalize(words, out var refusal) ?? throw refusal!.Refuse();
        var (room, moderatorId, _) = await ModeratedRoomAsync(streamId);
        await moderation.SetBlockedWordsAsync(room, cleaned, moderatorId, reason: null, Context.ConnectionAborted);
        return cleaned;
    }

    /// <summary>What the room's moderators see: slow mode, blocked words and who moderates.</summary>
    public async Task<RoomSettings> GetRoomSettings(string streamId)
    {
        var (room, _, _) = await ModeratedRoomAsync(streamId);
        return new RoomSettings(room.StreamId, room.SlowModeSeconds, room.BlockedWords, await chat.ModeratorsAsync(room.ChannelId, Context.ConnectionAborted));
    }

    /// <summary>The streamer (or an admin) appoints a moderator of their room.</summary>
    public Task AddModerator(string streamId, string userId) => SetModeratorAsync(streamId, userId, appoint: true);

    public Task RemoveModerator(string streamId, string userId) => SetModeratorAsync(streamId, userId, appoint: false);

    private async Task SetModeratorAsync(string streamId, string userId, bool appoint)
    {
        var actorId = RequireSignedIn("moderate");
        var (room, caller) = await RoomAndCallerAsync(streamId);
        if ((room.ChannelId != actorId && caller is not { Admin: true }) || caller is { PlatformBanned: true })
        {
            throw Refusals.OnlyStreamerAppoints().Refuse();
        }

        var target = await users.FindByIdAsync(ParseId(userId, "userId"), Context.ConnectionAborted) ?? throw Refusals.NoSuchUser().Refuse();
        if (target.Id == room.ChannelId)
        {
            throw Refusals.StreamerModeratesAlready().Refuse();
        }

        if (await chat.SetModeratorAsync(room.ChannelId, target.Id, appoint, actorId, Context.ConnectionAborted))
        {
            await audit.RecordAsync(actorId, appoint ? "chat.moderator.add" : "chat.moderator.remove", "user", target.Id.ToString(), new { room.StreamId }, Context.ConnectionAborted);
            await events.ModeratedAsync(room.StreamId, SystemLines.Moderator(target.DisplayName, appoint), Context.ConnectionAborted);
        }
    }

    private Guid? CallerId => Context.UserIdentifier is { } id && Guid.TryParse(id, out var userId) ? userId : null;

    private Guid RequireSignedIn(string action) => CallerId ?? throw Refusals.SignIn(action).Refuse();

    private static Guid ParseId(string? value, string name) =>
        Guid.TryParse(value, out var id) ? id : throw Refusals.NotAnId(name).Refuse();

    private Task<(RoomRow Room, SenderRow? Caller)> RoomAndCallerAsync(string streamId) => RoomAndCallerAsync(ParseId(streamId, "streamId"));

    /// <summary>
    /// The room and, for a signed-in caller, their standing in it (one query). Every right is decided from this, read
    /// at each call: a token presented at connect says nothing about roles, moderators or bans changed since.
    /// </summary>
    private async Task<(RoomRow Room, SenderRow? Caller)> RoomAndCallerAsync(Guid streamId)
    {
        var (room, caller) = await chat.GetRoomAndSenderAsync(streamId, CallerId, Context.ConnectionAborted);
        if (room is null)
        {
            throw Refusals.NoSuchStream().Refuse();
        }

        return CallerId is not null && caller is null ? throw Refusals.AccountGone().Refuse() : (room, caller);
    }

    private void RequireJoined(Guid streamId)
    {
        if (!presence.IsIn(Context.ConnectionId, streamId))
        {
            throw Refusals.JoinFirst().Refuse();
        }
    }

    private static void RefuseBanned(SenderRow caller)
    {
        if (caller.PlatformBanned)
        {
            throw Refusals.AccountBanned().Refuse();
        }

        if (caller.RoomBanned)
        {
            throw Refusals.BannedFromRoom().Refuse();
        }
    }

    /// <summary>The room, when the caller may moderate it: its streamer, a moderator they appointed, a platform moderator or an admin.</summary>
    private async Task<(RoomRow Room, Guid ModeratorId, bool IsAdmin)> ModeratedRoomAsync(string streamId)
    {
        var userId = RequireSignedIn("moderate");
        var (room, caller) = await RoomAndCallerAsync(streamId);
        if (caller is not ({ Admin: true } or { Moderator: true } or { PlatformModerator: true }) || caller.PlatformBanned)
        {
            LogModerationDenied(userId, room.StreamId);
            throw Refusals.NotModerator().Refuse();
        }

        return (room, userId, caller.Admin);
    }

    /// <summary>A user a moderator may sanction: not the streamer, and not a fellow moderator unless the streamer or an admin asks.</summary>
    private async Task<UserRow> SanctionTargetAsync(RoomRow room, string userId, bool callerIsAdmin)
    {
        var target = await users.FindByIdAsync(ParseId(userId, "userId"), Context.ConnectionAborted) ?? throw Refusals.NoSuchUser().Refuse();
        return await moderation.SanctionRefusalAsync(room, target, RequireSignedIn("moderate"), callerIsAdmin, Context.ConnectionAborted) is { } refusal
            ? throw refusal.Refuse()
            : target;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hub connection refused: too many connections from {Address}")]
    private partial void LogTooManyConnections(string address);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} tried to moderate stream {StreamId} without the right")]
    private partial void LogModerationDenied(Guid userId, Guid streamId);
}

public sealed record RoomSettings(Guid StreamId, int SlowModeSeconds, IReadOnlyList<string> BlockedWords, IReadOnlyList<Guid> Moderators);

/// <summary>Hub connections held per client (<see cref="ClientAddress.Key"/>) on this instance.</summary>
public sealed class ConnectionsPerAddress
{
    private readonly ConcurrentDictionary<string, int> counts = new();

    public bool TryAdd(string address, int limit)
    {
        while (true)
        {
            var current = counts.GetOrAdd(address, 0);
            if (current >= limit)
            {
                return false;
            }

            if (counts.TryUpdate(address, current + 1, current))
            {
                return true;
            }
        }
    }

    public void Remove(string address)
    {
        while (counts.TryGetValue(address, out var current))
        {
            if (current <= 1 ? counts.TryRemove(new KeyValuePair<string, int>(address, current)) : counts.TryUpdate(address, current - 1, current))
            {
                return;
            }
        }
    }
}
