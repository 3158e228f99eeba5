using System.Net;
using System.Net.Http.Json;

namespace Nio.Admin.Auth;

/// <summary>The Api's <c>/api/auth</c> routes as the panel's server uses them: tokens in the body, never in a cookie.</summary>
public sealed class AuthClient(HttpClient http, TimeProvider time)
{
    private sealed record UserBody(Guid Id, string Email, string DisplayName, string[] Roles);

    private sealed record SessionBody(string AccessToken, DateTime AccessTokenExpiresAt, string? RefreshToken, UserBody User);

    /// <summary>What the Api answered a sign-in with.</summary>
    public abstract record LoginResult
    {
        public sealed record Success(ApiSession Session) : LoginResult;

        public sealed record Refused(HttpStatusCode Status) : LoginResult;
    }

    /// <param name="browserAddress">
    /// The operator's address, sent as <c>X-Forwarded-For</c>: an Api that lists the panel in <c>NIO_TRUSTED_PROXIES</c>
    /// then limits sign-in attempts per browser instead of counting every operator as the panel's one address.
    /// </param>
    public async Task<LoginResult> LoginAsync(string email, string password, System.Net.IPAddress? browserAddress, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/auth/login") { Content = JsonContent.Create(new { email, password }) };
        if (browserAddress is not null)
        {
            request.Headers.Add("X-Forwarded-For", browserAddress.ToString());
        }

        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return new LoginResult.Refused(response.StatusCode);
        }

        return new LoginResult.Success(ToSession((await response.Content.ReadFromJsonAsync<SessionBody>(cancellationToken))!));
    }

    /// <summary>Spends the refresh token for a new session; null when the Api refuses it (revoked, expired, banned).</summary>
    public async Task<ApiSession?> RefreshAsync(ApiSession session, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("api/auth/refresh", new { refreshToken = session.RefreshToken }, cancellationToken);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.BadRequest)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        var renewed = ToSession((await response.Content.ReadFromJsonAsync<SessionBody>(cancellationToken))!);
        return renewed with { SignedInAt = session.SignedInAt };
    }

    /// <summary>Revokes the session's refresh token family at the Api.</summary>
    public async Task LogoutAsync(ApiSession session, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("api/auth/logout", new { refreshToken = session.RefreshToken }, cancellationToken);
    }

    private ApiSession ToSession(SessionBody body) => new(
        body.AccessToken,
        body.AccessTokenExpiresAt,
        body.RefreshToken ?? throw new InvalidOperationException("The Api answered a login without a refresh token."),
        new Operator(body.User.Id, body.User.Email, body.User.DisplayName, body.User.Roles),
        time.GetUtcNow().UtcDateTime,
        time.GetUtcNow().UtcDateTime);
}
