using Dapper;
using Npgsql;

namespace Nio.TestSupport;

public static class LedgerAssertions
{
    /// <summary>All accounts sum to zero, no account that may not go negative is, and every balance is the sum of its entries.</summary>
    public static async Task AssertBalancedAsync(NpgsqlDataSource database)
    {
        await using var connection = await database.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT coalesce(sum(balance), 0) FROM ledger_accounts"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM ledger_accounts WHERE balance < 0 AND NOT allow_negative"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
            """
            SELECT count(*) FROM ledger_accounts a
            WHERE a.balance <> (SELECT coalesce(sum(amount), 0) FROM ledger_entries e WHERE e.account_id = a.id)
            """));
    }
}
