namespace Nio.Api.Chat;

/// <summary>Chat limits (section <c>Chat</c>).</summary>
public sealed class ChatOptions
{
    /// <summary>A user may send this many messages per <see cref="RateWindowSeconds"/> in one room.</summary>
    public int MessagesPerWindow { get; set; } = 5;

    public int RateWindowSeconds { get; set; } = 5;

    /// <summary>Reactions one connection may send per second; the rest are refused.</summary>
    public int ReactionsPerSecond { get; set; } = 20;

    /// <summary>Hub connections one client address may hold at once.</summary>
    public int MaxConnectionsPerAddress { get; set; } = 20;

    /// <summary>Rooms one connection may be in at once.</summary>
    public int MaxRoomsPerConnection { get; set; } = 5;

    /// <summary>Messages a joining client gets; also the largest page of the history endpoint.</summary>
    public int HistorySize { get; set; } = 50;

    /// <summary>Joins are announced at most this often per room, in one system message.</summary>
    public int JoinAnnouncementSeconds { get; set; } = 5;

    /// <summary>How often the reactions of a room are summed up and sent.</summary>
    public int ReactionFlushMilliseconds { get; set; } = 250;
}
