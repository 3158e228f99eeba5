using System.Security.Claims;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Nio.Api.Auth;
using Nio.Api.Chat;
using Nio.Api.Http;
using Nio.Api.Pictures;
using Nio.Api.Streams;
using Nio.Api.Wallet;
using Nio.Shared.Storage;

namespace Nio.Api.Gifts;

public sealed record SendGiftRequest(string? GiftId, int? Count, string? IdempotencyKey);

public sealed record GiftSender(Guid Id, string DisplayName);

/// <summary>What sending a gift did; the same key asked again answers exactly this.</summary>
public sealed record GiftSent(
    long TransferId, Guid StreamId, GiftSender Sender, Gift Gift, int Count, int Combo, long CoinsSpent, long BeansToStreamer, long Balance, DateTime SentAt);

/// <summary>The room's <c>gift</c> event, for the on-screen animation.</summary>
public sealed record GiftEvent(Guid StreamId, GiftSender Sender, Gift Gift, int Count, int Combo);

/// <summary>The gift catalog (<c>GET /api/payments/gifts</c>) and sending gifts to a live stream.</summary>
public static class GiftsApi
{
    public const int MaxCount = 99;

    /// <summary>The same gift again by the same sender within this time adds to the combo.</summary>
    public static readonly TimeSpan ComboWindow = TimeSpan.FromSeconds(5);

    /// <summary>Where gift artwork uploaded by operators is served from, and its folder in the media store.</summary>
    public const string ArtworkServedPath = "/api/gifts/artwork";
    public const string ArtworkStoreFolder = "gift-artwork";

    public static void MapGiftsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/payments/gifts", CatalogAsync).WithTags("Gifts");
        app.MapGet($"{ArtworkServedPath}/{{name}}", (string name, IMediaStore store, HttpResponse response, CancellationToken cancellationToken) =>
            StoredPictures.ServeAsync(name, store, ArtworkStoreFolder, response, cancellationToken)).WithTags("Gifts");
        app.MapPost("/api/streams/{id:guid}/gifts", SendAsync).WithTags("Gifts").RequireAuthorization();
    }

    public static async Task<Ok<IReadOnlyList<Gift>>> CatalogAsync(GiftRepository gifts, CancellationToken cancellationToken) =>
        TypedResults.Ok(await gifts.CatalogAsync(cancellationToken));

    /// <summary>
    /// Sends <c>count</c> of a gift to the live stream: the sender's coins go down by its price, the streamer's beans
    /// up by its beans, the rest to the platform, in one transaction. 402 when the coins do not suffice (with the
    /// balance), 409 when the stream is not live, 400 for oneself, an unknown gift or a count out of 1–99. A key that
    /// sent a gift already answers that gift (200), even after the stream ended.
    /// </summary>
    public static async Task<Results<Created<GiftSent>, Ok<GiftSent>, ValidationProblem, ProblemHttpResult, NotFound>> SendAsync(
        Guid id, SendGiftRequest request, ClaimsPrincipal user, GiftRepository gifts, StreamRepository streams, Ledger ledger, RoomEvents room,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var catalog = await gifts.CatalogAsync(cancellationToken);
        var gift = catalog.SingleOrDefault(g => g.Id == request.GiftId);
        if (gift is null)
        {
            errors.Add("giftId", $"giftId must be one of {string.Join(", ", catalog.Select(g => g.Id))}.");
        }

        var count = request.Count ?? 1;
        if (count is < 1 or > MaxCount)
        {
            errors.Add("count", $"count must be between 1 and {MaxCount}.");
        }

        var key = IdempotencyKeys.Required(errors, request.IdempotencyKey);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var stream = await streams.GetAsync(id, cancellationToken);
        if (stream is null)
        {
            return TypedResults.NotFound();
        }

        if (stream.OwnerId == user.Id())
        {
            errors.Add("streamId", "You cannot send gifts to your own stream.");
            return errors.ToProblem();
        }

        try
        {
            var sender = new GiftSender(user.Id(), user.FindFirst(TokenIssuer.NameClaim)?.Value ?? "");
            var (sent, replayed) = await SendInTransactionAsync(
                id, stream.OwnerId, stream.Status == StreamStatus.Live, sender, gift!, count, key!, ledger, cancellationToken);
            if (replayed)
            {
                return TypedResults.Ok(sent!);
            }

            if (sent is null)
            {
                return TypedResults.Problem("Gifts go to live streams; this one is not live.", statusCode: StatusCodes.Status409Conflict, title: "Stream not live");
            }

            // Told to the room once the money has moved and the connection is back in the pool.
            room.Broadcast(id, "gift", new GiftEvent(id, sent.Sender, gift!, count, sent.Combo));
            await room.GiftAsync(id, sent, cancellationToken);
            return TypedResults.Created("/api/wallet", sent);
        }
        catch (InsufficientFundsException exception)
        {
            return TypedResults.Problem($"Not enough coins: this costs {exception.Needed}, you have {exception.Balance}.",
                statusCode: StatusCodes.Status402PaymentRequired, title: "Not enough coins",
                extensions: new Dictionary<string, object?> { ["balance"] = exception.Balance, ["needed"] = exception.Needed });
        }
        catch (IdempotencyKeyReusedException exception)
        {
            return IdempotencyKeys.Reused(exception);
        }
    }

    /// <summary>
    /// The gift's transfer; <c>Replayed</c> when the key had sent it already, null when it was not sent because the
    /// stream is not <paramref name="live"/>. A retry is answered before liveness is asked: its gift was sent while live.
    /// </summary>
    private static async Task<(GiftSent? Sent, bool Replayed)> SendInTransactionAsync(
        Guid id, Guid streamerId, bool live, GiftSender sender, Gift gift, int count, string key, Ledger ledger, CancellationToken cancellationToken)
    {
        await using var transaction = await ledger.BeginAsync($"gift:{sender.Id}:{key}", new { id, gift.Id, count }, cancellationToken);
        if (transaction.Past is { } past)
        {
            return (past.Details.Deserialize<GiftSent>(JsonSerializerOptions.Web)! with { TransferId = past.Id }, true);
        }

        if (!live)
        {
            return (null, false);
        }

        var (connection, tx) = (transaction.Connection, transaction.Transaction);
        var senderId = sender.Id;
        var coins = (long)gift.Coins * count;
        var beans = (long)gift.Beans * count;
        var senderCoins = await Ledger.UserAccountAsync(transaction, AccountKind.Coins, senderId, cancellationToken);
        var streamerBeans = await Ledger.UserAccountAsync(transaction, AccountKind.Beans, streamerId, cancellationToken);
        var revenue = await Ledger.PlatformAccountAsync(transaction, AccountKind.PlatformRevenue, cancellationToken);
        List<Leg> legs = [new(senderCoins, -coins), new(streamerBeans, beans)];
        if (coins > beans)
        {
            legs.Add(new Leg(revenue, coins - beans));
        }

        // The sender's coins are locked before anything is read, so one sender's gifts are counted (balance, combo)
        // one after another; the answer is complete before the transfer is written, since transfers never change.
        var balance = await Ledger.BalanceForUpdateAsync(transaction, senderCoins, cancellationToken);
        var last = await GiftRepository.LastGiftAsync(connection, tx, id, senderId, ComboWindow, cancellationToken);
        var combo = last is { Recent: true } && last.GiftId == gift.Id ? last.Combo + count : count;
        var sent = new GiftSent(0, id, sender, gift, count, combo, coins, beans, balance - coins, DateTime.UtcNow);
        var transferId = await transaction.TransferAsync("gift", legs, sent, senderId, corrects: null, cancellationToken);
        await GiftRepository.RecordAsync(connection, tx, transferId, id, senderId, streamerId, gift.Id, count, combo, beans, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (sent with { TransferId = transferId }, false);
    }
}
