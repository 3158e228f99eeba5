using Dapper;
using Npgsql;

namespace Nio.Api.Gifts;

/// <summary>A gift of the catalog: what it costs the sender and what the streamer receives.</summary>
public sealed record Gift
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string Emoji { get; init; } = "";
    public int Coins { get; init; }
    public int Beans { get; init; }
}

/// <summary>The last gift a sender sent in a room, for the combo counter.</summary>
public sealed record LastGift
{
    public string GiftId { get; init; } = "";
    public int Combo { get; init; }
    public bool Recent { get; init; }
}

/// <summary>Owns <c>gifts</c> (the catalog) and <c>gifts_sent</c>.</summary>
public sealed class GiftRepository(NpgsqlDataSource db, TimeProvider time)
{
    /// <summary>The catalog changes only with a migration; it is read again after this long, not for every gift.</summary>
    private static readonly TimeSpan CatalogLifetime = TimeSpan.FromMinutes(1);

    // One reference, replaced whole: concurrent readers see an old catalog or the new one, never a mix.
    private CatalogRead? catalog;

    public async Task<IReadOnlyList<Gift>> CatalogAsync(CancellationToken cancellationToken)
    {
        if (catalog is { } cached && time.GetUtcNow() - cached.ReadAt < CatalogLifetime)
        {
            return cached.Gifts;
        }

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var gifts = (await connection.QueryAsync<Gift>(new CommandDefinition(
            "SELECT id, name, emoji, coins, beans FROM gifts ORDER BY sort_order", cancellationToken: cancellationToken))).AsList();
        catalog = new CatalogRead(gifts, time.GetUtcNow());
        return gifts;
    }

    /// <summary>The sender's latest gift in the room; <c>Recent</c> when it was within <paramref name="comboWindow"/>.</summary>
    public static Task<LastGift?> LastGiftAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid streamId, Guid senderId, TimeSpan comboWindow, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<LastGift>(new CommandDefinition(
            """
            SELECT gift_id, combo, sent_at > clock_timestamp() - @comboWindow AS recent
            FROM gifts_sent WHERE stream_id = @streamId AND sender_id = @senderId
            ORDER BY sent_at DESC LIMIT 1
            """,
            new { streamId, senderId, comboWindow }, transaction, cancellationToken: cancellationToken));

    public static Task RecordAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long transferId, Guid streamId, Guid senderId, Guid streamerId,
        string giftId, int count, int combo, long beans, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO gifts_sent (transfer_id, stream_id, sender_id, streamer_id, gift_id, count, combo, beans)
            VALUES (@transferId, @streamId, @senderId, @streamerId, @giftId, @count, @combo, @beans)
            """,
            new { transferId, streamId, senderId, streamerId, giftId, count, combo, beans }, transaction, cancellationToken: cancellationToken));

    private sealed record CatalogRead(IReadOnlyList<Gift> Gifts, DateTimeOffset ReadAt);
}
