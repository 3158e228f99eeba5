using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using Nio.Admin.ApiClient;
using Nio.Admin.Auth;
using Nio.Admin.Components.Shared;

namespace Nio.Admin.Components.Pages.Dashboard;

/// <summary>Today's and the last days' figures with charts per day (admins), and every service's health.</summary>
public partial class Dashboard : OperatorPage
{
    private static readonly (string Key, string Label, Func<Figures, long> Pick)[] Rows =
    [
        ("signUps", "Sign-ups", f => f.SignUps),
        ("coinsBought", "Coins bought", f => f.CoinsBought),
        ("giftsSent", "Gifts sent", f => f.GiftsSent),
        ("beansEarned", "Beans earned", f => f.BeansEarned),
    ];

    private ApiClient.Dashboard? dashboard;
    private Health? health;
    private string[] dayLabels = [];
    private List<ChartSeries<double>> countSeries = [];
    private List<ChartSeries<double>> moneySeries = [];

    [CascadingParameter]
    private Task<AuthenticationState> Authentication { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        if ((await Authentication).User.IsAdmin())
        {
            dashboard = await LoadAsync(Api.DashboardAsync);
            if (dashboard is not null)
            {
                Chart(dashboard.Days);
            }
        }

        health = await LoadAsync(Api.HealthAsync);
    }

    private void Chart(IReadOnlyList<DayFigures> days)
    {
        // Every fifth day labelled, so thirty labels never overlap on a phone.
        dayLabels = days.Select((d, i) => i % 5 == 0 || i == days.Count - 1 ? d.Day.ToString("dd.MM", System.Globalization.CultureInfo.InvariantCulture) : "").ToArray();
        countSeries =
        [
            new() { Name = T["Sign-ups"], Data = days.Select(d => (double)d.SignUps).ToArray() },
            new() { Name = T["Gifts sent"], Data = days.Select(d => (double)d.GiftsSent).ToArray() },
        ];
        moneySeries =
        [
            new() { Name = T["Coins bought"], Data = days.Select(d => (double)d.CoinsBought).ToArray() },
            new() { Name = T["Beans earned"], Data = days.Select(d => (double)d.BeansEarned).ToArray() },
        ];
    }
}
