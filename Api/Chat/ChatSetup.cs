using Microsoft.AspNetCore.SignalR;
using Nio.Api.Auth;

namespace Nio.Api.Chat;

public static class ChatSetup
{
    /// <summary>
    /// SignalR with the room hub; with <c>NIO_REDIS_URL</c> set, the Redis backplane joins the Api instances so a
    /// room spans all of them.
    /// </summary>
    public static void AddNioChat(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<ChatOptions>(builder.Configuration.GetSection("Chat"));
        var signalR = services.AddSignalR(hub =>
        {
            hub.MaximumReceiveMessageSize = 16 * 1024;
            hub.AddFilter<RefusalsToCaller>();
        });
        var redis = builder.Configuration["Redis:Url"];
        if (!string.IsNullOrWhiteSpace(redis))
        {
            signalR.AddStackExchangeRedis(RedisUrl.ToConfiguration(redis), o => o.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal("nio"));
        }

        services.AddSingleton<IUserIdProvider, SubjectUserIdProvider>();
        services.AddSingleton<ChatRepository>();
        services.AddSingleton<RoomPresence>();
        services.AddSingleton<ConnectionsPerAddress>();
        services.AddSingleton<RoomBroadcaster>();
        services.AddSingleton<RoomEvents>();
        services.AddSingleton<ChatModeration>();
        services.AddSingleton<ModerationFeed>();
        services.AddSingleton<Reactions>();
        services.AddHostedService(provider => provider.GetRequiredService<Reactions>());
        services.AddSingleton<PresenceReporter>();
        services.AddHostedService(provider => provider.GetRequiredService<PresenceReporter>());
    }

    public static void MapNioChat(this WebApplication app)
    {
        // The hub lets anonymous viewers in, but a token that was presented and failed (tampered, expired, banned)
        // is refused rather than quietly treated as anonymous.
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(RoomHub.Path)
                && (context.Request.Query.ContainsKey("access_token") || context.Request.Headers.Authorization.Count > 0),
            branch => branch.Use(async (context, next) =>
            {
                if (context.User.Identity?.IsAuthenticated != true)
                {
                    await TypedResults.Problem("The access token is invalid or expired.", statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized")
                        .ExecuteAsync(context);
                    return;
                }

                await next(context);
            }));
        // A connection lives no longer than the access token it was opened with: then it closes, and the client
        // reconnects with a renewed token (refused when the session was revoked or the account banned).
        app.MapHub<RoomHub>(RoomHub.Path, hub => hub.CloseOnAuthenticationExpiration = true);
        app.MapHub<ModerationHub>(ModerationHub.Path, hub => hub.CloseOnAuthenticationExpiration = true);
        app.MapChatApi();
    }

    /// <summary>SignalR knows a user by the token's <c>sub</c> (the user id), which <c>Clients.User</c> addresses.</summary>
    private sealed class SubjectUserIdProvider : IUserIdProvider
    {
        public string? GetUserId(HubConnectionContext connection) => connection.User?.FindFirst(TokenIssuer.SubjectClaim)?.Value;
    }
}
