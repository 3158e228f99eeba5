using System.Text.Json;
using Dapper;
using Npgsql;

namespace Nio.Api.Chat;

public static class ChatKind
{
    /// <summary>What a user typed; every other kind is a system message.</summary>
    public const string Message = "message";
    public const string StreamStarted = "streamStarted";
    public const string StreamEnded = "streamEnded";
    public const string Moderation = "moderation";
    public const string Gift = "gift";
    public const string TitleChanged = "titleChanged";
    /// <summary>Who came into the room: sent to it, not kept in its history.</summary>
    public const string Joined = "joined";
}

/// <summary>A chat line as clients see it, live and in the history.</summary>
public sealed record ChatMessage
{
    public long Id { get; init; }
    public Guid StreamId { get; init; }
    public string Kind { get; init; } = ChatKind.Message;
    public Guid? UserId { get; init; }
    public string DisplayName { get; init; } = "";
    public string Text { get; init; } = "";
    /// <summary>A system line's exact event and what fills it in (see <see cref="SystemLine"/>); null for what users type.</summary>
    public string? Code { get; init; }
    public JsonElement? Args { get; init; }
    public DateTime SentAt { get; init; }
}

/// <summary>The room a stream is, with what its streamer decided for it.</summary>
public sealed record RoomRow
{
    public Guid StreamId { get; init; }
    public Guid ChannelId { get; init; }
    public string Title { get; init; } = "";
    public string Status { get; init; } = "";
    public int SlowModeSeconds { get; init; }
    public string[] BlockedWords { get; init; } = [];
    /// <summary>Words no room allows, set by the platform's operators.</summary>
    public string[] PlatformBlockedWords { get; init; } = [];
}

/// <summary>A chat line as operators see it: in which room, and whether it was deleted.</summary>
public sealed record AdminChatMessage
{
    public long Id { get; init; }
    public Guid StreamId { get; init; }
    public string StreamTitle { get; init; } = "";
    public Guid ChannelId { get; init; }
    public string Kind { get; init; } = ChatKind.Message;
    public Guid? UserId { get; init; }
    public string DisplayName { get; init; } = "";
    public string Text { get; init; } = "";
    public DateTime SentAt { get; init; }
    public DateTime? DeletedAt { get; init; }

    public static AdminChatMessage From(ChatMessage message, RoomRow room) => new()
    {
        Id = message.Id, StreamId = message.StreamId, StreamTitle = room.Title, ChannelId = room.ChannelId, Kind = message.Kind,
        UserId = message.UserId, DisplayName = message.DisplayName, Text = message.Text, SentAt = message.SentAt,
    };
}

/// <summary>Which messages operators look at; <c>Kind</c> null means every kind.</summary>
public sealed record ChatFilter(Guid? StreamId, Guid? UserId, string? WordPattern, string? Kind, bool IncludeDeleted);

/// <summary>Where a user stands in a room, as the database says now (not as their token said when they connected).</summary>
public sealed record SenderRow
{
    public string DisplayName { get; init; } = "";
    /// <summary>A platform admin: moderates every room.</summary>
    public bool Admin { get; init; }
    /// <summary>A platform moderator: moderates every room, appoints no one.</summary>
    public bool PlatformModerator { get; init; }
    public bool PlatformBanned { get; init; }
    public bool RoomBanned { get; init; }
    public DateTime? TimedOutUntil { get; init; }
    public bool Moderator { get; init; }
}

public enum SendRefusal
{
    None,
    RateLimited,
    SlowMode,
}

/// <summary>Owns <c>chat_messages</c>, <c>room_moderators</c>, <c>room_sanctions</c> and <c>room_settings</c>.</summary>
public sealed class ChatRepository(NpgsqlDataSource db)
{
    private const string MessageColumns = "id, stream_id, kind, user_id, display_name, text, code, args::text AS args, sent_at";

    private const string SelectMessages = $"SELECT {MessageColumns} FROM chat_messages";

    public async Task<RoomRow?> GetRoomAsync(Guid streamId, CancellationToken cancellationToken) =>
        (await GetRoomAndSenderAsync(streamId, userId: null, cancellationToken)).Room;

    /// <summary>
    /// The stream's room and the user's standing in it, in one round trip; the room is null for an unknown stream, the
    /// standing for an unknown user or none.
    /// </summary>
    public async Task<(RoomRow? Room, SenderRow? Sender)> GetRoomAndSenderAsync(Guid streamId, Guid? userId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<RoomAndSenderRow>(new CommandDefinition(
            """
            SELECT s.id AS stream_id, s.owner_id AS channel_id, s.title, s.status,
                   coalesce(r.slow_mode_seconds, 0) AS slow_mode_seconds, coalesce(r.blocked_words, '{}') AS blocked_words,
                   (SELECT blocked_words FROM chat_platform_settings) AS platform_blocked_words,
                   u.id AS user_id, u.display_name, 'admin' = ANY (u.roles) AS admin, 'moderator' = ANY (u.roles) AS platform_moderator,
                   u.banned_at IS NOT NULL AS platform_banned,
                   EXISTS (SELECT 1 FROM room_sanctions WHERE channel_id = s.owner_id AND user_id = u.id AND kind = 'ban') AS room_banned,
                   (SELECT expires_at FROM room_sanctions
                    WHERE channel_id = s.owner_id AND user_id = u.id AND kind = 'timeout' AND expires_at > now()) AS timed_out_until,
                   u.id = s.owner_id OR EXISTS (SELECT 1 FROM room_moderators WHERE channel_id = s.owner_id AND user_id = u.id) AS moderator
            FROM streams s LEFT JOIN room_settings r ON r.channel_id = s.owner_id LEFT JOIN users u ON u.id = @userId
            WHERE s.id = @streamId
            """,
            new { streamId, userId }, cancellationToken: cancellationToken));
        if (row is null)
        {
            return (null, null);
        }

        var room = new RoomRow
        {
            StreamId = row.StreamId, ChannelId = row.ChannelId, Title = row.Title, Status = row.Status, SlowModeSeconds = row.SlowModeSeconds,
            BlockedWords = row.BlockedWords, PlatformBlockedWords = row.PlatformBlockedWords,
        };
        return (room, row.UserId is null ? null : new SenderRow
        {
            DisplayName = row.DisplayName ?? "", Admin = row.Admin, PlatformModerator = row.PlatformModerator, PlatformBanned = row.PlatformBanned, RoomBanned = row.RoomBanned, TimedOutUntil = row.TimedOutUntil, Moderator = row.Moderator,
        });
    }

    /// <summary>
    /// Stores a user's message unless it breaks the rate limit (at most <paramref name="limit"/> messages per
    /// <paramref name="window"/>) or slow mode (one per <paramref name="slowMode"/>). Checked and written under a lock
    /// on (room, user), so several connections of one user, on any Api instance, cannot slip past together.
    /// </summary>
    public async Task<(ChatMessage? Message, SendRefusal Refusal)> AddMessageAsync(
        Guid streamId, Guid userId, string displayName, string text, int limit, TimeSpan window, TimeSpan slowMode,
        CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))",
            new { key = $"chat:{streamId}:{userId}" }, transaction, cancellationToken: cancellationToken));
        // One statement counts and inserts; it sees everything committed before the lock above was granted.
        var row = await connection.QuerySingleAsync<AddedRow>(new CommandDefinition(
            """
            WITH recent AS (
                SELECT count(*) FILTER (WHERE sent_at > clock_timestamp() - @window) AS in_window,
                       count(*) FILTER (WHERE sent_at > clock_timestamp() - @slowMode) AS in_slow_mode
                FROM chat_messages
                WHERE user_id = @userId AND stream_id = @streamId AND kind = 'message'
                  AND sent_at > clock_timestamp() - greatest(@window, @slowMode)
            ),
            inserted AS (
                INSERT INTO chat_messages (stream_id, kind, user_id, display_name, text, sent_at)
                SELECT @streamId, 'message', @userId, @displayName, @text, clock_timestamp() FROM recent
                WHERE in_window < @limit AND (@slowMode = interval '0' OR in_slow_mode = 0)
                RETURNING id, sent_at
            )
            SELECT r.in_window, r.in_slow_mode, i.id, i.sent_at FROM recent r LEFT JOIN inserted i ON true
            """,
            new { streamId, userId, displayName, text, limit, window, slowMode }, transaction, cancellationToken: cancellationToken));
        if (row.Id is not { } id)
        {
            return (null, row.InWindow >= limit ? SendRefusal.RateLimited : SendRefusal.SlowMode);
        }

        await transaction.CommitAsync(cancellationToken);
        return (new ChatMessage { Id = id, StreamId = streamId, UserId = userId, DisplayName = displayName, Text = text, SentAt = row.SentAt!.Value }, SendRefusal.None);
    }

    public async Task<ChatMessage> AddSystemMessageAsync(Guid streamId, SystemLine line, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<ChatMessage>(new CommandDefinition(
            $"""
            INSERT INTO chat_messages (stream_id, kind, text, code, args) VALUES (@streamId, @Kind, @Text, @Code, @args::jsonb)
            RETURNING {MessageColumns}
            """,
            new { streamId, line.Kind, line.Text, line.Code, args = line.Args?.GetRawText() }, cancellationToken: cancellationToken));
    }

    /// <summary>The newest messages before <paramref name="before"/> (all when null), oldest first; deleted ones left out.</summary>
    public async Task<IReadOnlyList<ChatMessage>> HistoryAsync(Guid streamId, long? before, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var newestFirst = await connection.QueryAsync<ChatMessage>(new CommandDefinition(
            $"""
            {SelectMessages}
            WHERE stream_id = @streamId AND deleted_at IS NULL AND (@before::bigint IS NULL OR id < @before)
            ORDER BY id DESC LIMIT @limit
            """,
            new { streamId, before, limit }, cancellationToken: cancellationToken));
        return newestFirst.Reverse().ToList();
    }

    /// <summary>
    /// Marks a message deleted (of the room, or of any room when <paramref name="streamId"/> is null); the message as
    /// it was, or null when there is no such live message.
    /// </summary>
    public async Task<ChatMessage?> DeleteMessageAsync(Guid? streamId, long messageId, Guid deletedBy, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ChatMessage>(new CommandDefinition(
            $"""
            UPDATE chat_messages SET deleted_at = now(), deleted_by = @deletedBy
            WHERE id = @messageId AND (@streamId::uuid IS NULL OR stream_id = @streamId) AND deleted_at IS NULL
            RETURNING {MessageColumns}
            """,
            new { streamId, messageId, deletedBy }, cancellationToken: cancellationToken));
    }

    /// <summary>Times a user out (replacing any earlier timeout) or bans them from the channel's room.</summary>
    public async Task SanctionAsync(Guid channelId, Guid userId, string kind, DateTime? expiresAt, Guid createdBy, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO room_sanctions (channel_id, user_id, kind, expires_at, created_by) VALUES (@channelId, @userId, @kind, @expiresAt, @createdBy)
            ON CONFLICT (channel_id, user_id, kind) DO UPDATE SET expires_at = excluded.expires_at, created_by = excluded.created_by, created_at = now()
            """,
            new { channelId, userId, kind, expiresAt, createdBy }, cancellationToken: cancellationToken));
    }

    /// <summary>Lifts a user's ban and timeout in the channel's room; false when there was none.</summary>
    public async Task<bool> LiftSanctionsAsync(Guid channelId, Guid userId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM room_sanctions WHERE channel_id = @channelId AND user_id = @userId",
            new { channelId, userId }, cancellationToken: cancellationToken)) > 0;
    }

    public async Task SetSlowModeAsync(Guid channelId, int seconds, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO room_settings (channel_id, slow_mode_seconds) VALUES (@channelId, @seconds)
            ON CONFLICT (channel_id) DO UPDATE SET slow_mode_seconds = excluded.slow_mode_seconds, updated_at = now()
            """,
            new { channelId, seconds }, cancellationToken: cancellationToken));
    }

    public async Task SetBlockedWordsAsync(Guid channelId, IReadOnlyList<string> words, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO room_settings (channel_id, blocked_words) VALUES (@channelId, @words)
            ON CONFLICT (channel_id) DO UPDATE SET blocked_words = excluded.blocked_words, updated_at = now()
            """,
            new { channelId, words = words.ToArray() }, cancellationToken: cancellationToken));
    }

    /// <summary>Appoints (or, with <paramref name="appoint"/> false, removes) a moderator; false when nothing changed.</summary>
    public async Task<bool> SetModeratorAsync(Guid channelId, Guid userId, bool appoint, Guid appointedBy, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            appoint
                ? "INSERT INTO room_moderators (channel_id, user_id, appointed_by) VALUES (@channelId, @userId, @appointedBy) ON CONFLICT DO NOTHING"
                : "DELETE FROM room_moderators WHERE channel_id = @channelId AND user_id = @userId",
            new { channelId, userId, appointedBy }, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>The live streams whose rooms <paramref name="userId"/> wrote in since <paramref name="since"/> (at most 100).</summary>
    public async Task<IReadOnlyList<Guid>> LiveRoomsWrittenInAsync(Guid userId, DateTime since, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<Guid>(new CommandDefinition(
            """
            SELECT DISTINCT m.stream_id FROM chat_messages m JOIN streams s ON s.id = m.stream_id
            WHERE m.user_id = @userId AND m.kind = 'message' AND m.sent_at > @since AND s.status = 'live'
            LIMIT 100
            """, new { userId, since }, cancellationToken: cancellationToken))).AsList();
    }

    public async Task<IReadOnlyList<Guid>> ModeratorsAsync(Guid channelId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<Guid>(new CommandDefinition(
            "SELECT user_id FROM room_moderators WHERE channel_id = @channelId ORDER BY created_at", new { channelId }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Messages across every room, newest first; the total is counted up to <paramref name="countLimit"/>.</summary>
    public async Task<Http.Page<AdminChatMessage>> AdminListAsync(ChatFilter filter, Http.PageQuery page, int countLimit, CancellationToken cancellationToken)
    {
        const string from = """
            FROM chat_messages m JOIN streams s ON s.id = m.stream_id
            WHERE (@streamId::uuid IS NULL OR m.stream_id = @streamId)
              AND (@userId::uuid IS NULL OR m.user_id = @userId)
              AND (@kind::text IS NULL OR m.kind = @kind)
              AND (@includeDeleted OR m.deleted_at IS NULL)
              AND (@wordPattern::text IS NULL OR lower(m.text COLLATE "und-x-icu") LIKE lower(@wordPattern COLLATE "und-x-icu"))
            """;
        var parameters = new
        {
            streamId = filter.StreamId, userId = filter.UserId, kind = filter.Kind, includeDeleted = filter.IncludeDeleted,
            wordPattern = filter.WordPattern, limit = page.Size, offset = page.Offset, countLimit,
        };
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var items = await connection.QueryAsync<AdminChatMessage>(new CommandDefinition(
            $"""
            SELECT m.id, m.stream_id, s.title AS stream_title, s.owner_id AS channel_id, m.kind, m.user_id, m.display_name, m.text, m.sent_at, m.deleted_at
            {from} ORDER BY m.id DESC LIMIT @limit OFFSET @offset
            """, parameters, cancellationToken: cancellationToken));
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT count(*) FROM (SELECT 1 {from} LIMIT @countLimit) found", parameters, cancellationToken: cancellationToken));
        return new Http.Page<AdminChatMessage>(items.AsList(), page.PageNumber, page.Size, total);
    }

    public async Task<string[]> PlatformBlockedWordsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string[]>(new CommandDefinition(
            "SELECT blocked_words FROM chat_platform_settings", cancellationToken: cancellationToken)) ?? [];
    }

    /// <summary>Replaces the platform-wide list; returns the list it replaced.</summary>
    public async Task<string[]> SetPlatformBlockedWordsAsync(IReadOnlyList<string> words, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string[]>(new CommandDefinition(
            """
            UPDATE chat_platform_settings p SET blocked_words = @words, updated_at = now()
            FROM (SELECT blocked_words FROM chat_platform_settings FOR UPDATE) old
            RETURNING old.blocked_words
            """,
            new { words = words.ToArray() }, cancellationToken: cancellationToken)) ?? [];
    }

    private sealed record RoomAndSenderRow
    {
        public Guid StreamId { get; init; }
        public Guid ChannelId { get; init; }
        public string Title { get; init; } = "";
        public string Status { get; init; } = "";
        public int SlowModeSeconds { get; init; }
        public string[] BlockedWords { get; init; } = [];
        public string[] PlatformBlockedWords { get; init; } = [];
        public Guid? UserId { get; init; }
        public string? DisplayName { get; init; }
        public bool Admin { get; init; }
        public bool PlatformModerator { get; init; }
        public bool PlatformBanned { get; init; }
        public bool RoomBanned { get; init; }
        public DateTime? TimedOutUntil { get; init; }
        public bool Moderator { get; init; }
    }

    private sealed record AddedRow
    {
        public long InWindow { get; init; }
        public long InSlowMode { get; init; }
        public long? Id { get; init; }
        public DateTime? SentAt { get; init; }
    }
}
