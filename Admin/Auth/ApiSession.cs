namespace Nio.Admin.Auth;

/// <summary>The signed-in operator as the Api describes them.</summary>
public sealed record Operator(Guid Id, string Email, string DisplayName, string[] Roles);

/// <summary>An operator's Api session, held only on the panel's server.</summary>
/// <param name="ObtainedAt">When this access token was issued (the last sign-in or renewal).</param>
/// <param name="SignedInAt">When the operator signed in; renewals keep it.</param>
public sealed record ApiSession(string AccessToken, DateTime AccessTokenExpiresAt, string RefreshToken, Operator Operator, DateTime ObtainedAt, DateTime SignedInAt)
{
    /// <summary>
    /// Whether the access token should be renewed now: <paramref name="ahead"/> before it expires, or after two thirds
    /// of its life when it lives shorter than three times that.
    /// </summary>
    public bool IsDue(DateTime now, TimeSpan ahead)
    {
        var life = AccessTokenExpiresAt - ObtainedAt;
        var margin = TimeSpan.FromTicks(Math.Min(ahead.Ticks, Math.Max(life.Ticks, 0) / 3));
        return now >= AccessTokenExpiresAt - margin;
    }
}
