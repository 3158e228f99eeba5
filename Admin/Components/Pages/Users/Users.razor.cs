using Microsoft.AspNetCore.Components;
using Nio.Admin.ApiClient;
using Nio.Admin.Components.Shared;

namespace Nio.Admin.Components.Pages.Users;

/// <summary>Finds users by email, name or id; every filter is in the URL.</summary>
public partial class Users : OperatorPage
{
    private Paged<UserSummary>? users;
    private string? search;

    [SupplyParameterFromQuery(Name = "q")]
    public string? Query { get; set; }

    [SupplyParameterFromQuery]
    public string? Role { get; set; }

    [SupplyParameterFromQuery]
    public string? Banned { get; set; }

    [SupplyParameterFromQuery]
    public string? Sort { get; set; }

    [SupplyParameterFromQuery(Name = "page")]
    public int? PageNumber { get; set; }

    protected override async Task OnParametersSetAsync()
    {
        search = Query;
        users = null;
        var banned = bool.TryParse(Banned, out var flag) ? flag : (bool?)null;
        users = await LoadAsync(ct => Api.UsersAsync(Query, Role, banned, Sort, PageNumber ?? 1, ct));
    }

    private void Search() => NavigateWithQuery(("q", search?.Trim()));
}
