using System.Globalization;
using Microsoft.AspNetCore.Components;
using Nio.Admin.ApiClient;
using Nio.Admin.Components.Shared;

namespace Nio.Admin.Components.Pages.Audit;

/// <summary>Every operator action, filtered by operator, action, target and dates (in the URL), exported as CSV.</summary>
public partial class AuditLog : OperatorPage
{
    private Paged<AuditEntry>? entries;
    private string? action;
    private string? actor;
    private string? targetType;
    private string? targetId;
    private DateTime? from;
    private DateTime? to;

    [SupplyParameterFromQuery(Name = "action")]
    public string? ActionFilter { get; set; }

    [SupplyParameterFromQuery(Name = "actor")]
    public string? ActorFilter { get; set; }

    [SupplyParameterFromQuery(Name = "targetType")]
    public string? TargetTypeFilter { get; set; }

    [SupplyParameterFromQuery(Name = "targetId")]
    public string? TargetIdFilter { get; set; }

    /// <summary>A day, <c>yyyy-MM-dd</c> (UTC), the first one shown.</summary>
    [SupplyParameterFromQuery(Name = "from")]
    public string? FromFilter { get; set; }

    /// <summary>A day, <c>yyyy-MM-dd</c> (UTC), the last one shown.</summary>
    [SupplyParameterFromQuery(Name = "to")]
    public string? ToFilter { get; set; }

    [SupplyParameterFromQuery(Name = "page")]
    public int? PageNumber { get; set; }

    /// <summary>The panel's export route with the same filters (<see cref="AuditExport"/>).</summary>
    private string ExportUrl => Navigation.GetUriWithQueryParameters(AuditExport.Path, new Dictionary<string, object?>
    {
        ["action"] = ActionFilter, ["actor"] = ActorFilter, ["targetType"] = TargetTypeFilter, ["targetId"] = TargetIdFilter, ["from"] = FromFilter, ["to"] = ToFilter,
    });

    protected override async Task OnParametersSetAsync()
    {
        (action, actor, targetType, targetId) = (ActionFilter, ActorFilter, TargetTypeFilter, TargetIdFilter);
        (from, to) = (Day(FromFilter), Day(ToFilter));
        var filter = AuditExport.Filter(ActionFilter, ActorFilter, TargetTypeFilter, TargetIdFilter, FromFilter, ToFilter);
        entries = await LoadAsync(ct => Api.AuditAsync(filter, PageNumber ?? 1, ct));
    }

    private void ApplyFilters() => NavigateWithQuery(
        ("action", action?.Trim()), ("actor", actor?.Trim()), ("targetType", targetType?.Trim()), ("targetId", targetId?.Trim()),
        ("from", from?.ToString(AuditExport.DayFormat, CultureInfo.InvariantCulture)), ("to", to?.ToString(AuditExport.DayFormat, CultureInfo.InvariantCulture)));

    private static DateTime? Day(string? text) => AuditExport.ParseDay(text);
}
