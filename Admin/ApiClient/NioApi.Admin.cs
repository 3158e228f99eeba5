using System.Net.Http.Headers;

namespace Nio.Admin.ApiClient;

// The admin routes, one method per route of Api/Admin/README.md.
public sealed partial class NioApi
{
    public const int PageSize = 20;

    public Task<Dashboard> DashboardAsync(CancellationToken ct) => GetAsync<Dashboard>("api/admin/dashboard", ct);

    public Task<Health> HealthAsync(CancellationToken ct) => GetAsync<Health>("api/admin/health", ct);

    public Task<Paged<UserSummary>> UsersAsync(string? q, string? role, bool? banned, string? sort, int page, CancellationToken ct) =>
        GetAsync<Paged<UserSummary>>(AdminRoutes.With("api/admin/users", ("q", q), ("role", role), ("banned", banned), ("sort", sort), ("page", page), ("pageSize", PageSize)), ct);

    public Task<UserDetail> UserAsync(Guid id, CancellationToken ct) => GetAsync<UserDetail>($"api/admin/users/{id}", ct);

    public Task<Paged<WalletEntry>> WalletHistoryAsync(Guid id, int page, CancellationToken ct) =>
        GetAsync<Paged<WalletEntry>>(AdminRoutes.With($"api/admin/users/{id}/wallet/history", ("page", page), ("pageSize", PageSize)), ct);

    public Task<Paged<AdminChatMessage>> UserMessagesAsync(Guid id, int page, CancellationToken ct) =>
        GetAsync<Paged<AdminChatMessage>>(AdminRoutes.With($"api/admin/users/{id}/messages", ("page", page), ("pageSize", PageSize)), ct);

    public Task<Paged<AuditEntry>> UserAuditAsync(Guid id, int page, CancellationToken ct) =>
        GetAsync<Paged<AuditEntry>>(AdminRoutes.With($"api/admin/users/{id}/audit", ("page", page), ("pageSize", PageSize)), ct);

    public Task RevokeSessionsAsync(Guid id, string? reason, CancellationToken ct) => PostAsync($"api/admin/users/{id}/sessions/revoke", new { reason }, ct);

    public Task SetRolesAsync(Guid id, IEnumerable<string> roles, string? reason, CancellationToken ct) =>
        PutAsync($"api/admin/users/{id}/roles", new { roles, reason }, ct);

    public Task BanAsync(Guid id, string? reason, CancellationToken ct) => PostAsync($"api/admin/users/{id}/ban", new { reason }, ct);

    public Task UnbanAsync(Guid id, string? reason, CancellationToken ct) => DeleteAsync(AdminRoutes.With($"api/admin/users/{id}/ban", ("reason", reason)), null, ct);

    /// <param name="idempotencyKey">One per confirmed dialog, so a retried request grants once.</param>
    public Task<CoinAdjustment> AdjustCoinsAsync(Guid id, long amount, string reason, string idempotencyKey, CancellationToken ct) =>
        PostAsync<CoinAdjustment>($"api/admin/users/{id}/coins", new { amount, reason, idempotencyKey }, ct);

    public Task<LedgerSummary> LedgerAsync(CancellationToken ct) => GetAsync<LedgerSummary>("api/admin/ledger", ct);

    public Task<Paged<AdminStream>> StreamsAsync(string? status, string? q, int page, CancellationToken ct) =>
        GetAsync<Paged<AdminStream>>(AdminRoutes.With("api/admin/streams", ("status", status), ("q", q), ("page", page), ("pageSize", PageSize)), ct);

    public Task EndStreamAsync(Guid id, string? reason, CancellationToken ct) => PostAsync($"api/admin/streams/{id}/end", new { reason }, ct);

    public Task<StreamHealth> StreamHealthAsync(Guid id, CancellationToken ct) => GetAsync<StreamHealth>($"api/admin/streams/{id}/health", ct);

    public Task<Paged<AdminChatMessage>> ChatMessagesAsync(Guid? streamId, Guid? userId, string? word, bool includeDeleted, int page, CancellationToken ct) =>
        GetAsync<Paged<AdminChatMessage>>(AdminRoutes.With("api/admin/chat/messages",
            ("streamId", streamId), ("userId", userId), ("word", word), ("includeDeleted", includeDeleted), ("page", page), ("pageSize", PageSize)), ct);

    public Task DeleteMessageAsync(long id, string? reason, CancellationToken ct) =>
        DeleteAsync(AdminRoutes.With($"api/admin/chat/messages/{id}", ("reason", reason)), null, ct);

    public Task TimeoutAsync(Guid streamId, Guid userId, int seconds, string? reason, CancellationToken ct) =>
        PostAsync($"api/admin/chat/rooms/{streamId}/timeouts", new { userId, seconds, reason }, ct);

    public Task RoomBanAsync(Guid streamId, Guid userId, string? reason, CancellationToken ct) =>
        PostAsync($"api/admin/chat/rooms/{streamId}/bans", new { userId, reason }, ct);

    /// <param name="roomId">A stream whose streamer's rooms the list is for; null: the platform-wide list.</param>
    public Task<BlockedWords> BlockedWordsAsync(Guid? roomId, CancellationToken ct) => GetAsync<BlockedWords>(BlockedWordsPath(roomId), ct);

    public Task<BlockedWords> SetBlockedWordsAsync(Guid? roomId, IEnumerable<string> words, string? reason, CancellationToken ct) =>
        SendAsync<BlockedWords>(() => new HttpRequestMessage(HttpMethod.Put, BlockedWordsPath(roomId)) { Content = System.Net.Http.Json.JsonContent.Create(new { words, reason }) }, ct);

    private static string BlockedWordsPath(Guid? roomId) =>
        roomId is { } id ? $"api/admin/chat/rooms/{id}/blocked-words" : "api/admin/chat/blocked-words";

    public Task<Paged<Payment>> PaymentsAsync(string? status, Guid? userId, int page, CancellationToken ct) =>
        GetAsync<Paged<Payment>>(AdminRoutes.With("api/admin/payments", ("status", status), ("userId", userId), ("page", page), ("pageSize", PageSize)), ct);

    public Task<Paged<Dispute>> DisputesAsync(int page, CancellationToken ct) =>
        GetAsync<Paged<Dispute>>(AdminRoutes.With("api/admin/payments/disputes", ("page", page), ("pageSize", PageSize)), ct);

    public Task<Paged<UserSummary>> FlaggedAsync(int page, CancellationToken ct) =>
        GetAsync<Paged<UserSummary>>(AdminRoutes.With("api/admin/payments/flagged", ("page", page), ("pageSize", PageSize)), ct);

    public Task<Paged<Withdrawal>> WithdrawalsAsync(string? status, int page, CancellationToken ct) =>
        GetAsync<Paged<Withdrawal>>(AdminRoutes.With("api/admin/withdrawals", ("status", status), ("page", page), ("pageSize", PageSize)), ct);

    public Task ApproveWithdrawalAsync(Guid id, string payoutReference, string? note, CancellationToken ct) =>
        PostAsync($"api/admin/withdrawals/{id}/approve", new { payoutReference, note }, ct);

    public Task RejectWithdrawalAsync(Guid id, string note, CancellationToken ct) => PostAsync($"api/admin/withdrawals/{id}/reject", new { note }, ct);

    public Task<List<Gift>> GiftsAsync(CancellationToken ct) => GetAsync<List<Gift>>("api/admin/gifts", ct);

    public Task SetGiftEnabledAsync(string id, bool enabled, string? reason, CancellationToken ct) =>
        PatchAsync($"api/admin/gifts/{Uri.EscapeDataString(id)}", new { enabled, reason }, ct);

    /// <summary>Stores a picture (JPEG, PNG, WebP or GIF) as gift artwork; its path, which no gift shows until set.</summary>
    public async Task<string> UploadGiftArtworkAsync(byte[] picture, string contentType, CancellationToken ct) =>
        (await SendAsync<ArtworkUploaded>(() => new HttpRequestMessage(HttpMethod.Post, "api/admin/gifts/artwork")
        {
            Content = new ByteArrayContent(picture) { Headers = { ContentType = new MediaTypeHeaderValue(contentType) } },
        }, ct)).ArtworkPath;

    /// <summary>Sets a gift's artwork to an uploaded picture's path; an empty path brings back its emoji.</summary>
    public Task SetGiftArtworkAsync(string id, string artworkPath, string? reason, CancellationToken ct) =>
        PatchAsync($"api/admin/gifts/{Uri.EscapeDataString(id)}", new { artworkPath, reason }, ct);

    public Task<Paged<AuditEntry>> AuditAsync(AuditFilter filter, int page, CancellationToken ct) =>
        GetAsync<Paged<AuditEntry>>(AdminRoutes.With("api/admin/audit", [.. filter.Query(), ("page", page), ("pageSize", PageSize)]), ct);

    public Task<Stream> AuditCsvAsync(AuditFilter filter, CancellationToken ct) =>
        DownloadAsync(AdminRoutes.With("api/admin/audit/export", [.. filter.Query()]), ct);
}

/// <summary>The audit log's filters, the same for the page, its URL and the CSV export.</summary>
public sealed record AuditFilter(Guid? ActorId, string? Action, string? TargetType, string? TargetId, DateTime? From, DateTime? To)
{
    public (string Name, object? Value)[] Query() =>
        [("actorId", ActorId), ("action", Action), ("targetType", TargetType), ("targetId", TargetId), ("from", From), ("to", To)];
}
