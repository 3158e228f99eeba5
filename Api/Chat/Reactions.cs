using Microsoft.Extensions.Options;

namespace Nio.Api.Chat;

/// <summary>
/// Taps on a reaction are counted, not forwarded: every <see cref="ChatOptions.ReactionFlushMilliseconds"/> each
/// room gets one <c>reaction</c> event per emoji with how many taps it had, however many there were.
/// </summary>
public sealed class Reactions(RoomBroadcaster broadcaster, IOptions<ChatOptions> options) : BackgroundService
{
    /// <summary>The reactions clients can send (and draw), in their canonical spelling.</summary>
    public static readonly IReadOnlyList<string> Allowed = ["❤️", "😂", "👍", "🔥", "😮", "👏", "🎉", "😢"];

    private readonly Lock gate = new();
    private Dictionary<(Guid StreamId, string Emoji), int> pending = [];

    /// <summary>The canonical spelling of an allowed reaction (with or without its variation selector), or null.</summary>
    public static string? Canonical(string? emoji) =>
        emoji is null ? null : Allowed.FirstOrDefault(a => string.Equals(a.Replace("\uFE0F", ""), emoji.Replace("\uFE0F", ""), StringComparison.Ordinal));

    public void Add(Guid streamId, string emoji)
    {
        lock (gate)
        {
            pending[(streamId, emoji)] = pending.GetValueOrDefault((streamId, emoji)) + 1;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.ReactionFlushMilliseconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            Dictionary<(Guid StreamId, string Emoji), int> taps;
            lock (gate)
            {
                (taps, pending) = (pending, []);
            }

            foreach (var ((streamId, emoji), count) in taps)
            {
                broadcaster.Send(streamId, "reaction", new ReactionEvent(streamId, emoji, count));
            }
        }
    }
}

public sealed record ReactionEvent(Guid StreamId, string Emoji, int Count);
