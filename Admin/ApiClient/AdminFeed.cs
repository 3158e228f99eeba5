using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Options;
using Nio.Admin.Hosting;

namespace Nio.Admin.ApiClient;

/// <summary>
/// The Api's live feed of every room's chat (<c>/hubs/admin</c>) for one open page, signed in as its operator; it
/// reconnects with a fresh token when the Api closes it (a token expired) or the network drops.
/// </summary>
public sealed partial class AdminFeed(IOptions<ApiOptions> options, NioApi api, ILogger<AdminFeed> logger) : IAsyncDisposable
{
    public const string Path = "hubs/admin";

    private HubConnection? connection;

    public HubConnectionState State => connection?.State ?? HubConnectionState.Disconnected;

    public async Task StartAsync(Func<AdminChatMessage, Task> sent, Func<ChatMessageDeleted, Task> deleted, Func<Task> stateChanged, CancellationToken cancellationToken)
    {
        connection = new HubConnectionBuilder()
            .WithUrl(new Uri(new Uri(options.Value.Url.TrimEnd('/') + "/"), Path), http =>
            {
                http.Transports = HttpTransportType.WebSockets;
                http.SkipNegotiation = true;
                http.AccessTokenProvider = async () => await api.AccessTokenAsync(CancellationToken.None);
            })
            .WithAutomaticReconnect(new ForeverRetry())
            .Build();
        // The .NET client matches method names exactly: the Api's typed hub sends them PascalCase.
        connection.On("ChatMessage", sent);
        connection.On("ChatMessageDeleted", deleted);
        connection.Reconnecting += _ => stateChanged();
        connection.Reconnected += _ => stateChanged();
        connection.Closed += error =>
        {
            LogClosed(logger, error?.Message);
            return stateChanged();
        };
        await connection.StartAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The chat feed closed: {Reason}")]
    private static partial void LogClosed(ILogger logger, string? reason);

    /// <summary>Retries after 0, 2, 5, then every 10 seconds for as long as the page is open.</summary>
    private sealed class ForeverRetry : IRetryPolicy
    {
        public TimeSpan? NextRetryDelay(RetryContext retryContext) => retryContext.PreviousRetryCount switch
        {
            0 => TimeSpan.Zero,
            1 => TimeSpan.FromSeconds(2),
            2 => TimeSpan.FromSeconds(5),
            _ => TimeSpan.FromSeconds(10),
        };
    }
}
