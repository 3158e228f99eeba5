using System.Net.Mail;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Nio.Api.Http;
using Nio.Api.Users;

namespace Nio.Api.Auth;

public sealed record RegisterRequest(string? Email, string? Password, string? DisplayName);

public sealed record LoginRequest(string? Email, string? Password);

public sealed record RefreshRequest(string? RefreshToken);

/// <summary>The signed-in user as they see themselves.</summary>
public sealed record UserView(Guid Id, string Email, string DisplayName, string Bio, string? AvatarUrl, string[] Roles, DateTime CreatedAt)
{
    public static UserView From(UserRow user) =>
        new(user.Id, user.Email, user.DisplayName, user.Bio, user.AvatarUrl, user.Roles, user.CreatedAt);
}

public sealed record AuthResponse(string AccessToken, DateTime AccessTokenExpiresAt, string RefreshToken, UserView User);

/// <summary>Registration, login, token refresh and logout under <c>/api/auth</c>.</summary>
public static class AuthApi
{
    public const int MaxEmailLength = 254;
    public const int MaxDisplayNameLength = 50;
    public const string LoginRateLimit = "login";
    public const string RegisterRateLimit = "register";

    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Auth");
        group.MapPost("/register", RegisterAsync).RequireRateLimiting(RegisterRateLimit);
        group.MapPost("/login", LoginAsync).RequireRateLimiting(LoginRateLimit);
        group.MapPost("/refresh", RefreshAsync).RequireRateLimiting(LoginRateLimit);
        group.MapPost("/logout", LogoutAsync);
        group.MapGet("/me", MeAsync).RequireAuthorization();
        return group;
    }

    public static async Task<Results<Created<AuthResponse>, ValidationProblem, ProblemHttpResult>> RegisterAsync(
        RegisterRequest request, UserRepository users, Passwords passwords, TokenIssuer tokens, RefreshTokens refreshTokens, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var email = ValidateEmail(request.Email, errors);
        Passwords.Validate("password", request.Password, errors);
        var displayName = errors.RequiredText("displayName", request.DisplayName, MaxDisplayNameLength);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        try
        {
            var user = await users.CreateAsync(email!, passwords.Hash(request.Password!), displayName!, cancellationToken);
            return TypedResults.Created("/api/auth/me", await StartSessionAsync(user, tokens, refreshTokens, cancellationToken));
        }
        catch (DuplicateEmailException exception)
        {
            return TypedResults.Problem(exception.Message, statusCode: StatusCodes.Status409Conflict, title: "Email already registered");
        }
    }

    public static async Task<Results<Ok<AuthResponse>, ValidationProblem, ProblemHttpResult>> LoginAsync(
        LoginRequest request, UserRepository users, Passwords passwords, TokenIssuer tokens, RefreshTokens refreshTokens, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        errors.RequiredText("email", request.Email, MaxEmailLength);
        if (string.IsNullOrEmpty(request.Password))
        {
            errors.Add("password", "password is required.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var user = await users.FindByEmailAsync(request.Email!, cancellationToken);
        // Unknown email and wrong password take the same time and give the same answer.
        if (!passwords.Verify(user?.PasswordHash, request.Password!) || user is null)
        {
            return TypedResults.Problem("Email or password is incorrect.", statusCode: StatusCodes.Status401Unauthorized, title: "Login failed");
        }

        if (user.BannedAt is not null)
        {
            return AccountBanned();
        }

        return TypedResults.Ok(await StartSessionAsync(user, tokens, refreshTokens, cancellationToken));
    }

    public static async Task<Results<Ok<AuthResponse>, ValidationProblem, ProblemHttpResult>> RefreshAsync(
        RefreshRequest request, UserRepository users, TokenIssuer tokens, RefreshTokens refreshTokens, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var token = errors.RequiredText("refreshToken", request.RefreshToken, 100);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var rotated = await refreshTokens.RotateAsync(token!, cancellationToken);
        var user = rotated is null ? null : await users.FindByIdAsync(rotated.Value.UserId, cancellationToken);
        if (rotated is null || user is null)
        {
            return TypedResults.Problem("The refresh token is invalid, expired, revoked or already used.",
                statusCode: StatusCodes.Status401Unauthorized, title: "Invalid refresh token");
        }

        if (user.BannedAt is not null)
        {
            return AccountBanned();
        }

        var (accessToken, expiresAt) = tokens.CreateAccessToken(user);
        return TypedResults.Ok(new AuthResponse(accessToken, expiresAt, rotated.Value.Token, UserView.From(user)));
    }

    public static async Task<Results<NoContent, ValidationProblem>> LogoutAsync(
        RefreshRequest request, RefreshTokens refreshTokens, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var token = errors.RequiredText("refreshToken", request.RefreshToken, 100);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        await refreshTokens.RevokeAsync(token!, cancellationToken);
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

    private static async Task<AuthResponse> StartSessionAsync(UserRow user, TokenIssuer tokens, RefreshTokens refreshTokens, CancellationToken cancellationToken)
    {
        var (accessToken, expiresAt) = tokens.CreateAccessToken(user);
        var refreshToken = await refreshTokens.IssueAsync(user.Id, cancellationToken);
        return new AuthResponse(accessToken, expiresAt, refreshToken, UserView.From(user));
    }
}
