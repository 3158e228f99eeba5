using System.Net.Mail;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Nio.Api.Http;
using Microsoft.Extensions.Options;
using Nio.Api.Users;

namespace Nio.Api.Auth;

/// <summary><see cref="Session"/> <c>"cookie"</c> puts the refresh token in an HttpOnly cookie instead of the answer.</summary>
public sealed record RegisterRequest(string? Email, string? Password, string? DisplayName, string? Session = null);

/// <summary><see cref="Session"/> <c>"cookie"</c> puts the refresh token in an HttpOnly cookie instead of the answer.</summary>
public sealed record LoginRequest(string? Email, string? Password, string? Session = null);

/// <summary>Without <see cref="RefreshToken"/> the token is taken from the <c>nio_refresh</c> cookie.</summary>
public sealed record RefreshRequest(string? RefreshToken);

/// <summary>The signed-in user as they see themselves.</summary>
public sealed record UserView(Guid Id, string Email, string DisplayName, string Bio, string? AvatarUrl, string[] Roles, DateTime CreatedAt)
{
    public static UserView From(UserRow user) =>
        new(user.Id, user.Email, user.DisplayName, user.Bio, user.AvatarUrl, user.Roles, user.CreatedAt);
}

/// <summary>A session; <see cref="RefreshToken"/> is null when the token went into the <c>nio_refresh</c> cookie.</summary>
public sealed record AuthResponse(string AccessToken, DateTime AccessTokenExpiresAt, string? RefreshToken, UserView User);

/// <summary>Registration, login, token refresh and logout under <c>/api/auth</c>.</summary>
public static class AuthApi
{
    public const int MaxEmailLength = 254;
    public const int MaxDisplayNameLength = 50;
    public const string LoginRateLimit = "login";
    public const string RegisterRateLimit = "register";
    public const string RefreshRateLimit = "refresh";

    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Auth");
        group.MapPost("/register", RegisterAsync).RequireRateLimiting(RegisterRateLimit);
        group.MapPost("/login", LoginAsync).RequireRateLimiting(LoginRateLimit);
        group.MapPost("/refresh", RefreshAsync).RequireRateLimiting(RefreshRateLimit);
        group.MapPost("/logout", LogoutAsync);
        group.MapGet("/me", MeAsync).RequireAuthorization();
        return group;
    }

    public static async Task<Results<Created<AuthResponse>, ValidationProblem, ProblemHttpResult>> RegisterAsync(
        RegisterRequest request, UserRepository users, Passwords passwords, TokenIssuer tokens, RefreshTokens refreshTokens, IOptions<JwtOptions> jwt,
        HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var email = ValidateEmail(request.Email, errors);
        Passwords.Validate("password", request.Password, errors);
        var displayName = errors.RequiredText("displayName", request.DisplayName, MaxDisplayNameLength);
        var inCookie = WantsCookie(request.Session, errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        try
        {
            var user = await users.CreateAsync(email!, passwords.Hash(request.Password!), displayName!, cancellationToken);
            var session = await StartSessionAsync(user, tokens, refreshTokens, cancellationToken);
            return TypedResults.Created("/api/auth/me", inCookie ? MoveToCookie(session, http, jwt.Value) : session);
        }
        catch (DuplicateEmailException exception)
        {
            return TypedResults.Problem(exception.Message, statusCode: StatusCodes.Status409Conflict, title: "Email already registered");
        }
    }

    public static async Task<Results<Ok<AuthResponse>, ValidationProblem, ProblemHttpResult>> LoginAsync(
        LoginRequest request, UserRepository users, Passwords passwords, LoginThrottle throttle, TokenIssuer tokens, RefreshTokens refreshTokens,
        IOptions<JwtOptions> jwt, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        errors.RequiredText("email", request.Email, MaxEmailLength);
        if (string.IsNullOrEmpty(request.Password))
        {
            errors.Add("password", "password is required.");
        }

        var inCookie = WantsCookie(request.Session, errors);

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        // Before the password is checked: a guess refused here teaches nothing, and an email without an account is
        // counted and refused just the same.
        if (await throttle.TryAttemptAsync(request.Email!, cancellationToken) is { } wait)
        {
            return TooManyRequests.Problem(http.Response, wait, "Too many failed logins to this account; wait and try again.");
        }

        var user = await users.FindByEmailAsync(request.Email!, cancellationToken);
        // Unknown email and wrong password take the same time and give the same answer.
        if (!passwords.Verify(user?.PasswordHash, request.Password!) || user is null)
        {
            return TypedResults.Problem("Email or password is incorrect.", statusCode: StatusCodes.Status401Unauthorized, title: "Login failed");
        }

        await throttle.ForgetAsync(request.Email!, cancellationToken);

        if (user.BannedAt is not null)
        {
            return AccountBanned();
        }

        var session = await StartSessionAsync(user, tokens, refreshTokens, cancellationToken);
        return TypedResults.Ok(inCookie ? MoveToCookie(session, http, jwt.Value) : session);
    }

    /// <summary>
    /// Spends a refresh token for a new session. A token in the body is answered in the body (clients that keep it
    /// themselves); without one, the <c>nio_refresh</c> cookie is spent and its successor set as the cookie.
    /// </summary>
    public static async Task<Results<Ok<AuthResponse>, ValidationProblem, ProblemHttpResult>> RefreshAsync(
        RefreshRequest? request, UserRepository users, TokenIssuer tokens, RefreshTokens refreshTokens, IOptions<JwtOptions> jwt,
        HttpContext http, CancellationToken cancellationToken)
    {
        var fromCookie = request?.RefreshToken is null;
        string? token;
        if (fromCookie)
        {
            token = RefreshCookie.Read(http.Request);
        }
        else
        {
            var errors = new FieldErrors();
            token = errors.RequiredText("refreshToken", request!.RefreshToken, 100);
            if (errors.Any)
            {
                return errors.ToProblem();
            }
        }

        var rotated = token is null or { Length: > 100 } ? null : await refreshTokens.RotateAsync(token, cancellationToken);
        var user = rotated is null ? null : await users.FindByIdAsync(rotated.Value.UserId, cancellationToken);
        if (rotated is null || user is null)
        {
            if (fromCookie)
            {
                RefreshCookie.Delete(http);
            }

            return TypedResults.Problem("The refresh token is invalid, expired, revoked or already used.",
                statusCode: StatusCodes.Status401Unauthorized, title: "Invalid refresh token");
        }

        if (user.BannedAt is not null)
        {
            if (fromCookie)
            {
                RefreshCookie.Delete(http);
            }

            return AccountBanned();
        }

        var (accessToken, expiresAt) = tokens.CreateAccessToken(user);
        var session = new AuthResponse(accessToken, expiresAt, rotated.Value.Token, UserView.From(user));
        return TypedResults.Ok(fromCookie ? MoveToCookie(session, http, jwt.Value) : session);
    }

    /// <summary>
    /// Ends a login: the body's token, or else the <c>nio_refresh</c> cookie's, has its family revoked; the cookie is
    /// deleted either way. Unknown tokens and a missing cookie are not an error.
    /// </summary>
    public static async Task<Results<NoContent, ValidationProblem>> LogoutAsync(
        RefreshRequest? request, RefreshTokens refreshTokens, HttpContext http, CancellationToken cancellationToken)
    {
        string? token;
        if (request?.RefreshToken is null)
        {
            token = RefreshCookie.Read(http.Request);
            RefreshCookie.Delete(http);
        }
        else
        {
            var errors = new FieldErrors();
            token = errors.RequiredText("refreshToken", request.RefreshToken, 100);
            if (errors.Any)
            {
                return errors.ToProblem();
            }
        }

        if (token is { Length: <= 100 })
        {
            await refreshTokens.RevokeAsync(token, cancellationToken);
        }

        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<UserView>, NotFound>> MeAsync(ClaimsPrincipal principal, UserRepository users, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(principal.Id(), cancellationToken);
        return user is null ? TypedResults.NotFound() : TypedResults.Ok(UserView.From(user));
    }

    private static ProblemHttpResult AccountBanned() =>
        TypedResults.Problem("This account is banned from NIO.", statusCode: StatusCodes.Status403Forbidden, title: "Account banned");

    private static string? ValidateEmail(string? value, FieldErrors errors)
    {
        var email = errors.RequiredText("email", value, MaxEmailLength);
        if (email is null)
        {
            return null;
        }

        if (!MailAddress.TryCreate(email, out var parsed) || parsed.Address != email || parsed.DisplayName.Length > 0)
        {
            errors.Add("email", "email must be a valid email address.");
            return null;
        }

        return email;
    }

    private static bool WantsCookie(string? session, FieldErrors errors)
    {
        if (session is not (null or RefreshCookie.SessionMode))
        {
            errors.Add("session", $"session must be \"{RefreshCookie.SessionMode}\" or left out.");
        }

        return session == RefreshCookie.SessionMode;
    }

    /// <summary>Sets the session's refresh token as the cookie and leaves it out of the answer.</summary>
    private static AuthResponse MoveToCookie(AuthResponse session, HttpContext http, JwtOptions jwt)
    {
        RefreshCookie.Set(http, session.RefreshToken!, jwt.RefreshTokenDays);
        return session with { RefreshToken = null };
    }

    private static async Task<AuthResponse> StartSessionAsync(UserRow user, TokenIssuer tokens, RefreshTokens refreshTokens, CancellationToken cancellationToken)
    {
        var (accessToken, expiresAt) = tokens.CreateAccessToken(user);
        var refreshToken = await refreshTokens.IssueAsync(user.Id, cancellationToken);
        return new AuthResponse(accessToken, expiresAt, refreshToken, UserView.From(user));
    }
}
