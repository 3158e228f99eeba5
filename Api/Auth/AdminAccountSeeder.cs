using Microsoft.Extensions.Options;
using Nio.Api.Users;

namespace Nio.Api.Auth;

/// <summary>
/// Makes sure the account named by <c>NIO_ADMIN_EMAIL</c> exists with the admin role and the password in
/// <c>NIO_ADMIN_PASSWORD</c>: the environment is the source of truth, so changing it and restarting resets the password.
/// An account that someone registered with that email is never made the admin unless the operator says so
/// (<c>NIO_ADMIN_PROMOTE_EXISTING</c>); without it the Api refuses to start. Whenever the role or the password changes
/// here, every session of the account is revoked.
/// </summary>
public sealed partial class AdminAccountSeeder(
    IOptions<AdminAccountOptions> options, UserRepository users, Passwords passwords, RefreshTokens refreshTokens, ILogger<AdminAccountSeeder> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var (email, password) = (options.Value.Email?.Trim(), options.Value.Password);
        if (string.IsNullOrEmpty(email) && string.IsNullOrEmpty(password))
        {
            return;
        }

        var errors = new Http.FieldErrors();
        Passwords.Validate("NIO_ADMIN_PASSWORD", password, errors);
        if (string.IsNullOrEmpty(email) || errors.Any)
        {
            throw new InvalidOperationException(
                $"NIO_ADMIN_EMAIL and NIO_ADMIN_PASSWORD must be set together, and the password must follow the rule: {Passwords.Rule}");
        }

        var existing = await users.FindByEmailAsync(email, cancellationToken);
        var newHash = existing is not null && passwords.Verify(existing.PasswordHash, password!) ? null : passwords.Hash(password!);
        var admin = await users.UpsertAdminAsync(email, newHash, "Admin", options.Value.PromoteExisting, cancellationToken)
            ?? throw new InvalidOperationException(
                "NIO_ADMIN_EMAIL names an account that already exists and is not an admin: someone may have registered it before the "
                + "operator. Set NIO_ADMIN_EMAIL to another address, or set NIO_ADMIN_PROMOTE_EXISTING=true to make that account the "
                + "admin (its password becomes NIO_ADMIN_PASSWORD and its sessions are revoked).");

        // A new account has no sessions; a promoted one or one whose password was reset must sign in again.
        var promoted = existing is not { IsAdmin: true };
        if (promoted || newHash is not null)
        {
            await refreshTokens.RevokeAllAsync(admin.Id, cancellationToken);
        }

        if (existing is not null && promoted)
        {
            LogPromoted(admin.Id);
        }

        LogAdminReady(admin.Id);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Existing account {UserId} was made the admin (NIO_ADMIN_PROMOTE_EXISTING); its sessions were revoked")]
    private partial void LogPromoted(Guid userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin account {UserId} is ready")]
    private partial void LogAdminReady(Guid userId);
}
