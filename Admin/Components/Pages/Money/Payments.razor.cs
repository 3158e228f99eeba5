using Microsoft.AspNetCore.Components;
using Nio.Admin.ApiClient;
using Nio.Admin.Components.Shared;

namespace Nio.Admin.Components.Pages.Money;

/// <summary>Purchases (Stripe PaymentIntents) with their status, refunds and disputes, and flagged accounts; the tab is in the URL.</summary>
public partial class Payments : OperatorPage
{
    private static readonly string[] Tabs = ["purchases", "disputes", "flagged"];

    private Paged<Payment>? payments;
    private Paged<Dispute>? disputes;
    private Paged<UserSummary>? flagged;

    [SupplyParameterFromQuery(Name = "tab")]
    public string? TabName { get; set; }

    [SupplyParameterFromQuery]
    public string? Status { get; set; }

    /// <summary>One user's purchases only (the link on a user's page).</summary>
    [SupplyParameterFromQuery(Name = "user")]
    public string? UserFilter { get; set; }

    [SupplyParameterFromQuery(Name = "page")]
    public int? PageNumber { get; set; }

    private string Tab => TabName is not null && Tabs.Contains(TabName) ? TabName : Tabs[0];

    private int TabIndex => Array.IndexOf(Tabs, Tab);

    protected override async Task OnParametersSetAsync()
    {
        var page = PageNumber ?? 1;
        switch (Tab)
        {
            case "purchases":
                payments = await LoadAsync(ct => Api.PaymentsAsync(Status, Guid.TryParse(UserFilter, out var userId) ? userId : null, page, ct));
                break;
            case "disputes":
                disputes = await LoadAsync(ct => Api.DisputesAsync(page, ct));
                break;
            default:
                flagged = await LoadAsync(ct => Api.FlaggedAsync(page, ct));
                break;
        }
    }
}
