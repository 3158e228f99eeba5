using Microsoft.Extensions.Options;
using Nio.Api.Users;

namespace Nio.Api.Auth;

/// <summary>
/// Makes sure the account named by <c>NIO_ADMIN_EMAIL</c> exists with the admin role and the password in
/// <c>NIO_ADMIN_PASSWORD</c>: the environment is the source of truth, so changing it and restarting resets the password.
/// </summary>
public sealed partial class AdminAccountSeeder(
    IOptions<AdminAccountOptions> options, UserRepository users, Passwords passwords, ILogger<AdminAccountSeeder> logger) : IHostedService
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
        var admin = await users.UpsertAdminAsync(email, newHash, "Admin", cancellationToken);
        LogAdminReady(admin.Id);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin account {UserId} is ready")]
    private partial void LogAdminReady(Guid userId);
}
