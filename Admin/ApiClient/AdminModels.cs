using System.Text.Json;

namespace Nio.Admin.ApiClient;

// The Api's answers under /api/admin, as Api/Admin/README.md describes them.

/// <summary>One page of a list the Api pages, filters and sorts.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, long TotalCount)
{
    public int PageCount => PageSize <= 0 ? 1 : (int)Math.Max(1, (TotalCount + PageSize - 1) / PageSize);
}

public sealed record UserSummary(
    Guid Id, string Email, string DisplayName, string? AvatarUrl, string[] Roles, DateTime CreatedAt, DateTime? BannedAt, string? BanReason,
    DateTime? PaymentFlaggedAt);

public sealed record Wallet(long Coins, long Beans, long BeansHeld);

public sealed record UserDetail(
    Guid Id, string Email, string DisplayName, string Bio, string? AvatarUrl, string[] Roles, DateTime CreatedAt, DateTime? BannedAt,
    string? BanReason, DateTime? PaymentFlaggedAt, int ActiveSessions, IReadOnlyList<AdminStream> Streams, Wallet? Wallet);

public sealed record WalletEntry(long TransferId, string Kind, string Account, long Amount, DateTime CreatedAt);

public sealed record CoinAdjustment(long TransferId, Guid UserId, long Amount, string Reason, long Balance);

public sealed record StreamerRef(Guid Id, string DisplayName, string? AvatarUrl);

public sealed record AdminStream(
    Guid Id, string Title, string Status, StreamerRef Streamer, int ViewerCount, string? ThumbnailUrl, string? PlaybackUrl,
    DateTime CreatedAt, DateTime? StartedAt, DateTime? EndedAt, long? DurationSeconds);

public sealed record AdminChatMessage(
    long Id, Guid StreamId, string? StreamTitle, Guid? ChannelId, string Kind, Guid? UserId, string? DisplayName, string Text, DateTime SentAt,
    DateTime? DeletedAt);

public sealed record ChatMessageDeleted(Guid StreamId, long Id);

public sealed record BlockedWords(IReadOnlyList<string> Words);

public sealed record Figures(long SignUps, long CoinsBought, long GiftsSent, long BeansEarned);

public sealed record DayFigures(DateOnly Day, long SignUps, long CoinsBought, long GiftsSent, long BeansEarned);

public sealed record Dashboard(
    int LiveStreams, int Viewers, Figures Today, Figures Last7Days, Figures Last30Days, IReadOnlyList<DayFigures> Days, DateTime? RolledUpAt);

public sealed record ServiceHealth(string Name, string Url, bool Healthy, int? StatusCode, string? Error, JsonElement? Body);

public sealed record Health(IReadOnlyList<ServiceHealth> Services, string HangfireUrl);

public sealed record AccountBalance(string Kind, long Balance, long? Accounts);

public sealed record LedgerSummary(
    IReadOnlyList<AccountBalance> PlatformAccounts, IReadOnlyList<AccountBalance> UserAccounts, long Sum, bool Balanced, long EntriesSum,
    long MismatchedAccounts);

public sealed record Payment(
    string Id, Guid UserId, string? UserEmail, string? PackageId, long Coins, long AmountCents, string Currency, string Status, long RefundedCoins,
    bool Disputed, DateTime CreatedAt, DateTime? SucceededAt, string? StripeUrl);

public sealed record Dispute(
    string Id, string PaymentIntentId, Guid UserId, long Coins, long HeldCoins, string Status, DateTime CreatedAt, DateTime? ClosedAt, string? StripeUrl);

public sealed record Withdrawal(
    Guid Id, Guid UserId, string? UserEmail, string? UserDisplayName, long Beans, long AmountCents, string Currency, string Status, string? Note,
    string? PayoutReference, DateTime CreatedAt, DateTime? DecidedAt, Guid? DecidedBy);

public sealed record Gift(string Id, string Name, string Emoji, long Coins, long Beans, bool Enabled, string? ArtworkPath, int SortOrder);

public sealed record ArtworkUploaded(string ArtworkPath);

public sealed record AuditEntry(
    long Id, Guid? ActorId, string? ActorName, string Action, string? TargetType, string? TargetId, string? Reason, JsonElement? Before,
    JsonElement? After, JsonElement? Details, DateTime CreatedAt);

/// <summary>A stream's latest health report (the Api's <c>StreamHealthView</c>; the track records are shared).</summary>
public sealed record StreamHealth(
    Guid StreamId, bool Live, DateTime? ReportedAt, Nio.Shared.Media.VideoHealth? Video, Nio.Shared.Media.AudioHealth? Audio, IReadOnlyList<string> Warnings);
