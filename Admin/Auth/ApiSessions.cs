using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Nio.Admin.Hosting;

namespace Nio.Admin.Auth;

/// <summary>
/// The operators' Api sessions, kept on the panel's server: the browser holds only an id (inside its encrypted
/// cookie), never a token. Access tokens are renewed through the Api's refresh flow before they expire; a session
/// whose renewal the Api refuses ends, and its operator is sent back to sign-in.
/// </summary>
public sealed partial class ApiSessions(IHttpClientFactory clients, TimeProvider time, IOptions<OperatorSessionOptions> options, ILogger<ApiSessions> logger)
{
    private readonly ConcurrentDictionary<string, Held> sessions = new();

    public int Count => sessions.Count;

    /// <summary>Holds a new session and returns its id; past the limit the longest-held session ends first.</summary>
    public string Add(ApiSession session)
    {
        while (sessions.Count >= options.Value.MaxSessions)
        {
            var oldest = sessions.MinBy(s => s.Value.Session.SignedInAt);
            if (sessions.TryRemove(oldest.Key, out _))
            {
                LogEvicted(logger, oldest.Value.Session.Operator.Id);
            }
        }

        var id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        sessions[id] = new Held(session);
        LogSignedIn(logger, session.Operator.Id, string.Join(',', session.Operator.Roles));
        return id;
    }

    public ApiSession? Find(string? id) => id is not null && sessions.TryGetValue(id, out var held) ? held.Session : null;

    /// <summary>A current access token of the session, renewed first when due; null when the session has ended.</summary>
    public async Task<string?> AccessTokenAsync(string? id, CancellationToken cancellationToken)
    {
        if (id is null || !sessions.TryGetValue(id, out var held))
        {
            return null;
        }

        if (!held.Session.IsDue(Now, RefreshAhead))
        {
            return held.Session.AccessToken;
        }

        return await RenewAsync(id, held, refusedToken: null, cancellationToken) ? held.Session.AccessToken : null;
    }

    /// <summary>After the Api refused <paramref name="refusedToken"/>: renews the session unless another caller already did.</summary>
    public async Task<string?> RenewAfterRefusalAsync(string? id, string refusedToken, CancellationToken cancellationToken)
    {
        if (id is null || !sessions.TryGetValue(id, out var held))
        {
            return null;
        }

        return await RenewAsync(id, held, refusedToken, cancellationToken) ? held.Session.AccessToken : null;
    }

    /// <summary>Renews every session whose access token is due (the background refresher calls it).</summary>
    public async Task RenewDueAsync(CancellationToken cancellationToken)
    {
        foreach (var (id, held) in sessions)
        {
            if (held.Session.IsDue(Now, RefreshAhead))
            {
                await RenewAsync(id, held, refusedToken: null, cancellationToken);
            }
        }
    }

    /// <summary>Signs the operator out: the session is dropped here and its refresh tokens revoked at the Api.</summary>
    public async Task EndAsync(string? id, CancellationToken cancellationToken)
    {
        if (id is null || !sessions.TryRemove(id, out var held))
        {
            return;
        }

        LogSignedOut(logger, held.Session.Operator.Id);
        try
        {
            await Auth().LogoutAsync(held.Session, cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // The session is gone here either way; its refresh token expires at the Api on its own.
            LogLogoutFailed(logger, held.Session.Operator.Id, exception.Message);
        }
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private TimeSpan RefreshAhead => TimeSpan.FromSeconds(options.Value.RefreshAheadSeconds);

    private AuthClient Auth() => new(clients.CreateClient(nameof(AuthClient)), time);

    private async Task<bool> RenewAsync(string id, Held held, string? refusedToken, CancellationToken cancellationToken)
    {
        // One renewal at a time per session: refresh tokens are single-use, and a second spend of one ends the family.
        await held.Gate.WaitAsync(cancellationToken);
        try
        {
            if (!sessions.ContainsKey(id))
            {
                return false;
            }

            var renewedMeanwhile = refusedToken is null ? !held.Session.IsDue(Now, RefreshAhead) : held.Session.AccessToken != refusedToken;
            if (renewedMeanwhile)
            {
                return true;
            }

            ApiSession? renewed;
            try
            {
                renewed = await Auth().RefreshAsync(held.Session, cancellationToken);
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // The Api is unreachable: keep the session while its token lasts and try again later.
                LogRenewalFailed(logger, held.Session.Operator.Id, exception.Message);
                return refusedToken is null && Now < held.Session.AccessTokenExpiresAt;
            }

            if (renewed is null || !OperatorRoles.MayEnter(renewed.Operator.Roles))
            {
                sessions.TryRemove(id, out _);
                LogEnded(logger, held.Session.Operator.Id);
                return false;
            }

            held.Session = renewed;
            return true;
        }
        finally
        {
            held.Gate.Release();
        }
    }

    private sealed class Held(ApiSession session)
    {
        public ApiSession Session { get; set; } = session;

        public SemaphoreSlim Gate { get; } = new(1, 1);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Operator {OperatorId} signed in ({Roles})")]
    private static partial void LogSignedIn(ILogger logger, Guid operatorId, string roles);

    [LoggerMessage(Level = LogLevel.Information, Message = "Operator {OperatorId} signed out")]
    private static partial void LogSignedOut(ILogger logger, Guid operatorId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session of operator {OperatorId} ended: the Api refused to renew it or the operator lost the role")]
    private static partial void LogEnded(ILogger logger, Guid operatorId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session of operator {OperatorId} ended early: too many operators signed in")]
    private static partial void LogEvicted(ILogger logger, Guid operatorId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the session of operator {OperatorId} failed: {Reason}")]
    private static partial void LogRenewalFailed(ILogger logger, Guid operatorId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Revoking the session of operator {OperatorId} at the Api failed: {Reason}")]
    private static partial void LogLogoutFailed(ILogger logger, Guid operatorId, string reason);
}
