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
    /// <summary>The gift's picture: a path on the Api's origin or an https URL; null shows the emoji.</summary>
    public string? ArtworkPath { get; init; }
}

/// <summary>A gift as operators manage it: switched off gifts are kept, not sent.</summary>
public sealed record AdminGift
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string Emoji { get; init; } = "";
    public int Coins { get; init; }
    public int Beans { get; init; }
    public bool Enabled { get; init; }
    public string? ArtworkPath { get; init; }
    public int SortOrder { get; init; }
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
    /// <summary>
    /// The catalog is read again after this long, not for every gift; an operator's change clears it on the instance
    /// that made it, other instances see it within this time.
    /// </summary>
    private static readonly TimeSpan CatalogLifetime = TimeSpan.FromMinutes(1);

    // One reference, replaced whole: concurrent readers see an old catalog or the new one, never a mix.
    private CatalogRead? catalog;

    /// <summary>The gifts that can be sent now (enabled ones).</summary>
    public async Task<IReadOnlyList<Gift>> CatalogAsync(CancellationToken cancellationToken)
    {
        if (catalog is { } cached && time.GetUtcNow() - cached.ReadAt < CatalogLifetime)
        {
            return cached.Gifts;
        }

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var gifts = (await connection.QueryAsync<Gift>(new CommandDefinition(
            "SELECT id, name, emoji, coins, beans, artwork_path FROM gifts WHERE enabled ORDER BY sort_order", cancellationToken: cancellationToken))).AsList();
        catalog = new CatalogRead(gifts, time.GetUtcNow());
        return gifts;
    }

    public async Task<IReadOnlyList<AdminGift>> AllAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<AdminGift>(new CommandDefinition(
            "SELECT id, name, emoji, coins, beans, enabled, artwork_path, sort_order FROM gifts ORDER BY sort_order", cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>
    /// Changes what is not null (an empty artwork path clears it); the gift before and after, or null for an unknown
    /// gift. The catalog of this instance is read again at the next gift.
    /// </summary>
    public async Task<(AdminGift Before, AdminGift After)?> UpdateAsync(string id, bool? enabled, string? artworkPath, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        const string columns = "id, name, emoji, coins, beans, enabled, artwork_path, sort_order";
        var before = await connection.QuerySingleOrDefaultAsync<AdminGift>(new CommandDefinition(
            $"SELECT {columns} FROM gifts WHERE id = @id FOR UPDATE", new { id }, transaction, cancellationToken: cancellationToken));
        if (before is null)
        {
            return null;
        }

        var after = await connection.QuerySingleAsync<AdminGift>(new CommandDefinition(
            $"""
            UPDATE gifts SET enabled = coalesce(@enabled, enabled),
                             artwork_path = CASE WHEN @artworkPath::text IS NULL THEN artwork_path ELSE nullif(@artworkPath, '') END
            WHERE id = @id RETURNING {columns}
            """, new { id, enabled, artworkPath }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        catalog = null;
        return (before, after);
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
