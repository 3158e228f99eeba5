using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace Nio.Api.Wallet;

public static class AccountKind
{
    public const string Coins = "coins";
    public const string Beans = "beans";
    public const string BeansHeld = "beans_held";
    public const string PlatformRevenue = "platform_revenue";
    public const string PaymentClearing = "payment_clearing";
    public const string Adjustments = "adjustments";
    public const string Payouts = "payouts";
}

/// <summary>One side of a transfer: an account and what it gains (positive) or gives (negative).</summary>
public sealed record Leg(long AccountId, long Amount);

/// <summary>An account would go below zero: nothing moved. <see cref="Balance"/> is what it holds.</summary>
public sealed class InsufficientFundsException(long accountId, long balance, long needed) : Exception("Not enough funds.")
{
    public long AccountId { get; } = accountId;
    public long Balance { get; } = balance;
    public long Needed { get; } = needed;
}

/// <summary>An idempotency key came back with a different request than the one it was first used for.</summary>
public sealed class IdempotencyKeyReusedException() : Exception("This idempotency key was used for a different request.");

/// <summary>A transfer made earlier under the same key, with the answer it gave then.</summary>
public sealed record PastTransfer(long Id, JsonElement Details);

/// <summary>
/// Owns <c>ledger_accounts</c>, <c>ledger_transfers</c> and <c>ledger_entries</c>. Every money movement runs
/// through <see cref="BeginAsync"/>: under a lock on its idempotency key it either finds the transfer made earlier
/// with that key, or locks the accounts (in id order, so concurrent transfers cannot deadlock), checks balances and
/// writes one balanced transfer — in one transaction. The database refuses negative balances, unbalanced transfers
/// and any change to a written transfer on its own.
/// </summary>
public sealed class Ledger(NpgsqlDataSource db)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> platformAccounts = new();

    public async Task<LedgerTransaction> BeginAsync(string idempotencyKey, object request, CancellationToken cancellationToken)
    {
        var connection = await db.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(
                "SELECT pg_advisory_xact_lock(hashtextextended(@idempotencyKey, 0))", new { idempotencyKey }, transaction, cancellationToken: cancellationToken));
            var requestHash = SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(request)));
            var past = await connection.QuerySingleOrDefaultAsync<PastRow>(new CommandDefinition(
                "SELECT id, request_hash, details::text AS details FROM ledger_transfers WHERE idempotency_key = @idempotencyKey",
                new { idempotencyKey }, transaction, cancellationToken: cancellationToken));
            if (past is not null && !past.RequestHash.AsSpan().SequenceEqual(requestHash))
            {
                throw new IdempotencyKeyReusedException();
            }

            return new LedgerTransaction(connection, transaction, idempotencyKey, requestHash, platformAccounts,
                past is null ? null : new PastTransfer(past.Id, JsonDocument.Parse(past.Details).RootElement.Clone()));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The platform's account of that kind (made by the migration; its id never changes).</summary>
    public static async Task<long> PlatformAccountAsync(LedgerTransaction ledger, string kind, CancellationToken cancellationToken)
    {
        if (ledger.PlatformAccounts.TryGetValue(kind, out var id))
        {
            return id;
        }

        id = await ledger.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT id FROM ledger_accounts WHERE kind = @kind AND user_id IS NULL", new { kind }, ledger.Transaction, cancellationToken: cancellationToken));
        ledger.PlatformAccounts[kind] = id;
        return id;
    }

    /// <summary>
    /// The user's account of that kind, opened at first use. Looked up first: inserting into a row a concurrent
    /// transfer holds would wait for that transfer.
    /// </summary>
    public static async Task<long> UserAccountAsync(LedgerTransaction ledger, string kind, Guid userId, CancellationToken cancellationToken)
    {
        const string Find = "SELECT id FROM ledger_accounts WHERE kind = @kind AND user_id = @userId";
        var existing = await ledger.Connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            Find, new { kind, userId }, ledger.Transaction, cancellationToken: cancellationToken));
        if (existing is { } id)
        {
            return id;
        }

        await ledger.Connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO ledger_accounts (kind, user_id) VALUES (@kind, @userId) ON CONFLICT DO NOTHING",
            new { kind, userId }, ledger.Transaction, cancellationToken: cancellationToken));
        return await ledger.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
            Find, new { kind, userId }, ledger.Transaction, cancellationToken: cancellationToken));
    }

    /// <summary>Locks the account for the rest of the transaction and reads its balance.</summary>
    public static Task<long> BalanceForUpdateAsync(LedgerTransaction ledger, long accountId, CancellationToken cancellationToken) =>
        ledger.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT balance FROM ledger_accounts WHERE id = @accountId FOR UPDATE", new { accountId }, ledger.Transaction, cancellationToken: cancellationToken));

    /// <summary>The user's balances by account kind (zero for accounts not opened yet).</summary>
    public async Task<IReadOnlyDictionary<string, long>> BalancesAsync(Guid userId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Kind, long Balance)>(new CommandDefinition(
            "SELECT kind, balance FROM ledger_accounts WHERE user_id = @userId", new { userId }, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Kind, r => r.Balance);
    }

    /// <summary>
    /// The platform's accounts, the users' accounts summed per kind, and whether the books balance: every balance
    /// sums to zero, so do all entries, and no account's balance differs from the sum of its entries. Read in one
    /// snapshot (repeatable read), so transfers committing meanwhile never show as a false red.
    /// </summary>
    public async Task<LedgerCheck> CheckAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var platform = (await connection.QueryAsync<AccountTotal>(new CommandDefinition(
            "SELECT kind, balance, 1::bigint AS accounts FROM ledger_accounts WHERE user_id IS NULL ORDER BY id", transaction: transaction,
            cancellationToken: cancellationToken))).AsList();
        var users = (await connection.QueryAsync<AccountTotal>(new CommandDefinition(
            "SELECT kind, sum(balance)::bigint AS balance, count(*) AS accounts FROM ledger_accounts WHERE user_id IS NOT NULL GROUP BY kind ORDER BY kind",
            transaction: transaction, cancellationToken: cancellationToken))).AsList();
        var (entriesSum, mismatched) = await connection.QuerySingleAsync<(long, long)>(new CommandDefinition(
            """
            SELECT (SELECT coalesce(sum(amount), 0)::bigint FROM ledger_entries),
                   (SELECT count(*) FROM ledger_accounts a
                    LEFT JOIN (SELECT account_id, sum(amount) AS total FROM ledger_entries GROUP BY account_id) e ON e.account_id = a.id
                    WHERE a.balance <> coalesce(e.total, 0))
            """, transaction: transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        var sum = platform.Sum(a => a.Balance) + users.Sum(a => a.Balance);
        return new LedgerCheck(platform, users, sum, entriesSum, mismatched, sum == 0 && entriesSum == 0 && mismatched == 0);
    }

    private sealed record PastRow
    {
        public long Id { get; init; }
        public byte[] RequestHash { get; init; } = [];
        public string Details { get; init; } = "{}";
    }
}

/// <summary>The balance of one kind of account (summed over users for theirs).</summary>
public sealed record AccountTotal
{
    public string Kind { get; init; } = "";
    public long Balance { get; init; }
    public long Accounts { get; init; }
}

/// <summary>The books at one moment; <see cref="Balanced"/> is the invariant operators watch.</summary>
public sealed record LedgerCheck(
    IReadOnlyList<AccountTotal> PlatformAccounts, IReadOnlyList<AccountTotal> UserAccounts, long Sum, long EntriesSum, long MismatchedAccounts, bool Balanced);

/// <summary>One money operation in progress: its database transaction, and what the same key did before, if anything.</summary>
public sealed class LedgerTransaction(
    NpgsqlConnection connection, NpgsqlTransaction transaction, string idempotencyKey, byte[] requestHash,
    System.Collections.Concurrent.ConcurrentDictionary<string, long> platformAccounts, PastTransfer? past)
    : IAsyncDisposable
{
    /// <summary>Ids of the platform's accounts, known to every transaction of this ledger once read.</summary>
    internal System.Collections.Concurrent.ConcurrentDictionary<string, long> PlatformAccounts { get; } = platformAccounts;

    public NpgsqlConnection Connection { get; } = connection;

    public NpgsqlTransaction Transaction { get; } = transaction;

    /// <summary>The transfer this key made before: answer with its details and move nothing.</summary>
    public PastTransfer? Past { get; } = past;

    /// <summary>
    /// Locks the accounts, refuses (with <see cref="InsufficientFundsException"/>) any leg that would take an account
    /// that may not go negative below zero, and writes the transfer with its entries. Returns the transfer's id.
    /// </summary>
    public async Task<long> TransferAsync(
        string kind, IReadOnlyList<Leg> legs, object details, Guid? createdBy, long? corrects, CancellationToken cancellationToken)
    {
        if (legs.Sum(l => l.Amount) != 0 || legs.Count < 2 || legs.Any(l => l.Amount == 0))
        {
            throw new InvalidOperationException("A transfer needs two or more non-zero legs that sum to zero.");
        }

        var ids = legs.Select(l => l.AccountId).Order().ToArray();
        var accounts = (await Connection.QueryAsync<(long Id, long Balance, bool AllowNegative)>(new CommandDefinition(
            "SELECT id, balance, allow_negative FROM ledger_accounts WHERE id = ANY(@ids) ORDER BY id FOR UPDATE",
            new { ids }, Transaction, cancellationToken: cancellationToken))).ToDictionary(a => a.Id);
        foreach (var leg in legs.Where(l => l.Amount < 0))
        {
            var account = accounts[leg.AccountId];
            if (!account.AllowNegative && account.Balance + leg.Amount < 0)
            {
                throw new InsufficientFundsException(leg.AccountId, account.Balance, -leg.Amount);
            }
        }

        var accountIds = legs.Select(l => l.AccountId).ToArray();
        var amounts = legs.Select(l => l.Amount).ToArray();
        // One statement writes the transfer, its entries and the balances: the locked accounts are held one round trip.
        var transferId = await Connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            WITH transfer AS (
                INSERT INTO ledger_transfers (idempotency_key, request_hash, kind, corrects, details, created_by)
                VALUES (@idempotencyKey, @requestHash, @kind, @corrects, @details::jsonb, @createdBy)
                RETURNING id
            ),
            entries AS (
                INSERT INTO ledger_entries (transfer_id, account_id, amount)
                SELECT transfer.id, e.account_id, e.amount FROM transfer, unnest(@accountIds, @amounts) AS e(account_id, amount)
            ),
            balances AS (
                UPDATE ledger_accounts a SET balance = a.balance + e.amount FROM unnest(@accountIds, @amounts) AS e(id, amount) WHERE a.id = e.id
            )
            SELECT id FROM transfer
            """,
            new { idempotencyKey, requestHash, kind, corrects, details = JsonSerializer.Serialize(details, JsonSerializerOptions.Web), createdBy, accountIds, amounts },
            Transaction, cancellationToken: cancellationToken));
        return transferId;
    }

    public Task CommitAsync(CancellationToken cancellationToken) => Transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
