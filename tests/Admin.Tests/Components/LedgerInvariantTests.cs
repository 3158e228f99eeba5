using Bunit;
using Nio.Admin.ApiClient;
using Nio.Admin.Components.Pages.Money;

namespace Nio.Admin.Tests.Components;

public sealed class LedgerInvariantTests : PanelComponentTest
{
    [Fact]
    public void A_balanced_ledger_shows_green()
    {
        var invariant = Render<LedgerInvariant>(p => p.Add(c => c.Ledger, Ledger(balanced: true, sum: 0, entriesSum: 0, mismatched: 0)));

        var alert = invariant.Find("[data-balanced]");
        Assert.Equal("true", alert.GetAttribute("data-balanced"));
        Assert.Contains("mud-alert-filled-success", alert.ClassName);
    }

    [Fact]
    public void An_unbalanced_ledger_shows_red_with_what_is_off()
    {
        var invariant = Render<LedgerInvariant>(p => p.Add(c => c.Ledger, Ledger(balanced: false, sum: 40, entriesSum: 0, mismatched: 2)));

        var alert = invariant.Find("[data-balanced]");
        Assert.Equal("false", alert.GetAttribute("data-balanced"));
        Assert.Contains("mud-alert-filled-error", alert.ClassName);
        Assert.Contains("balances sum to 40, entries to 0, 2 accounts differ", alert.TextContent);
    }

    private static LedgerSummary Ledger(bool balanced, long sum, long entriesSum, long mismatched) =>
        new([new AccountBalance("platform_revenue", 5, 1)], [new AccountBalance("coins", -5, 3)], sum, balanced, entriesSum, mismatched);
}
