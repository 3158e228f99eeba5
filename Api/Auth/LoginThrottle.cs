using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Nio.Api.Users;

namespace Nio.Api.Auth;

/// <summary>
/// Owns <c>login_throttle</c>: password attempts per account from every address and Api instance together, so
/// guessing one account's password from many addresses is held to the same allowance as from one. Emails with and
/// without an account are counted alike, so the answers never tell which exist.
/// </summary>
public sealed class LoginThrottle(NpgsqlDataSource db, IOptions<RateLimitOptions> options)
{
    // Each new window clears at most this many expired ones: the table stays about the size of one window's accounts.
    private const int ExpiredRowsPerSweep = 100;

    /// <summary>
    /// Counts an attempt at <paramref name="email"/> before its password is checked — counting first is what keeps
    /// guesses sent all at once to the allowance — and returns how long to wait when the allowance of the current
    /// window is spent, or null to go ahead. The window opens at the first attempt; a right password in it ends it
    /// (<see cref="ForgetAsync"/>).
    /// </summary>
    public async Task<TimeSpan?> TryAttemptAsync(string email, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        var window = TimeSpan.FromSeconds(limits.FailedLoginWindowSeconds);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<AttemptRow>(new CommandDefinition(
            """
            INSERT INTO login_throttle AS t (account, window_start, attempts) VALUES (@account, now(), 1)
            ON CONFLICT (account) DO UPDATE SET
                window_start = CASE WHEN t.window_start <= now() - @window THEN now() ELSE t.window_start END,
                attempts     = CASE WHEN t.window_start <= now() - @window THEN 1 ELSE t.attempts + 1 END
            RETURNING attempts, extract(epoch FROM window_start + @window - now())::float8 AS seconds_left
            """,
            new { account = Key(email), window }, cancellationToken: cancellationToken));
        if (row.Attempts == 1)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                DELETE FROM login_throttle WHERE account IN (
                    SELECT account FROM login_throttle WHERE window_start <= now() - @window LIMIT @limit)
                """,
                new { window, limit = ExpiredRowsPerSweep }, cancellationToken: cancellationToken));
        }

        return row.Attempts > limits.FailedLoginsPerAccount ? TimeSpan.FromSeconds(Math.Max(1, row.SecondsLeft)) : null;
    }

    /// <summary>The right password: the attempts before it no longer count against the account.</summary>
    public async Task ForgetAsync(string email, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM login_throttle WHERE account = @account", new { account = Key(email) }, cancellationToken: cancellationToken));
    }

    private static byte[] Key(string email) => SHA256.HashData(Encoding.UTF8.GetBytes(UserRepository.NormalizeEmail(email)));

    private sealed record AttemptRow
    {
        public int Attempts { get; init; }
        public double SecondsLeft { get; init; }
    }
}
