namespace Nio.Admin.Auth;

/// <summary>Renews the operators' Api access tokens in the background, so an idle open page still works when used.</summary>
public sealed class SessionRefresher(ApiSessions sessions, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await sessions.RenewDueAsync(stoppingToken);
        }
    }
}
