using System.Collections.Concurrent;
using Nio.Api.Users;

namespace Nio.Api.Auth;

/// <summary>
/// Whether a user is banned from the platform, asked on every authenticated request: the answer is remembered for a
/// few seconds per user, so an access token issued before a ban stops working within that time on every instance.
/// </summary>
public sealed class PlatformBans(UserRepository users, TimeProvider time)
{
    private static readonly TimeSpan Remembered = TimeSpan.FromSeconds(5);
    private const int MaxRemembered = 100_000;

    private readonly ConcurrentDictionary<Guid, (bool Banned, DateTimeOffset CheckedAt)> answers = new();

    public async ValueTask<bool> IsBannedAsync(Guid userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (answers.TryGetValue(userId, out var answer) && now - answer.CheckedAt < Remembered)
        {
            return answer.Banned;
        }

        var banned = await users.IsBannedAsync(userId, cancellationToken);
        if (answers.Count >= MaxRemembered)
        {
            answers.Clear();
        }

        answers[userId] = (banned, now);
        return banned;
    }

    /// <summary>Forgets the answer for the user after a change made by this instance.</summary>
    public void Forget(Guid userId) => answers.TryRemove(userId, out _);
}
