using Microsoft.AspNetCore.Components;
using MudBlazor;
using Nio.Admin.ApiClient;
using Nio.Admin.Components.Dialogs;
using Nio.Admin.Components.Shared;

namespace Nio.Admin.Components.Pages.Streams;

/// <summary>Live, offline and ended streams; a live one can be previewed, ended, and its streamer banned.</summary>
public partial class Streams : OperatorPage
{
    private static readonly string[] Statuses = ["live", "offline", "ended"];

    private Paged<AdminStream>? streams;
    private string? search;

    [Inject]
    private ApiLinks Links { get; set; } = default!;

    [SupplyParameterFromQuery]
    public string? Status { get; set; }

    [SupplyParameterFromQuery(Name = "q")]
    public string? Query { get; set; }

    [SupplyParameterFromQuery(Name = "page")]
    public int? PageNumber { get; set; }

    private string CurrentStatus => Status is not null && Statuses.Contains(Status) ? Status : "live";

    protected override Task OnParametersSetAsync()
    {
        search = Query;
        return ReloadAsync();
    }

    private async Task ReloadAsync() => streams = await LoadAsync(ct => Api.StreamsAsync(CurrentStatus, Query, PageNumber ?? 1, ct)) ?? streams;

    private void Search() => NavigateWithQuery(("q", search?.Trim()));

    private async Task PreviewAsync(AdminStream stream) =>
        await Dialogs.ShowAsync<StreamPreviewDialog>(stream.Title, new DialogParameters<StreamPreviewDialog> { { d => d.Stream, stream } },
            new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, CloseButton = true });

    private async Task EndAsync(AdminStream stream)
    {
        var answer = await ReasonDialog.AskAsync(Dialogs, T["End stream"], string.Format(T["End \"{0}\" by {1} now? Its viewers see it end."], stream.Title, stream.Streamer.DisplayName), destructive: true);
        if (answer is not null && await CallAsync(ct => Api.EndStreamAsync(stream.Id, answer.Reason, ct), T["Stream ended."]))
        {
            await ReloadAsync();
        }
    }

    private async Task BanStreamerAsync(AdminStream stream)
    {
        var answer = await ReasonDialog.AskAsync(Dialogs, T["Ban streamer"], string.Format(T["Ban {0} from the platform? Their sessions end and their live stream stops."], stream.Streamer.DisplayName), destructive: true);
        if (answer is not null && await CallAsync(ct => Api.BanAsync(stream.Streamer.Id, answer.Reason, ct), T["Banned."]))
        {
            await ReloadAsync();
        }
    }
}
