using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.SignalR.Client;
using Nio.Admin.ApiClient;
using Nio.Admin.Components.Dialogs;
using Nio.Admin.Components.Shared;

namespace Nio.Admin.Components.Pages.Chat;

/// <summary>
/// Recent messages of every room, new ones arriving live (first page only), filtered by room, user or word (in the
/// URL); each can be deleted, or its author timed out or banned from the room.
/// </summary>
public partial class Chat : OperatorPage
{
    /// <summary>The live list keeps this many messages; older ones are on the next pages.</summary>
    public const int MaxLive = 200;

    // Replaced, never changed in place: the table redraws its rows when it is handed a new list.
    private IReadOnlyList<AdminChatMessage> live = [];
    private Paged<AdminChatMessage>? messages;
    private string? room;
    private string? user;
    private string? word;

    [Inject]
    private AdminFeed Feed { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "room")]
    public string? RoomFilter { get; set; }

    [SupplyParameterFromQuery(Name = "user")]
    public string? UserFilter { get; set; }

    [SupplyParameterFromQuery(Name = "word")]
    public string? WordFilter { get; set; }

    [SupplyParameterFromQuery(Name = "deleted")]
    public bool IncludeDeleted { get; set; }

    [SupplyParameterFromQuery(Name = "page")]
    public int? PageNumber { get; set; }

    private bool Connected => Feed.State == HubConnectionState.Connected;

    private Guid? RoomId => Guid.TryParse(RoomFilter, out var id) ? id : null;

    private Guid? UserId => Guid.TryParse(UserFilter, out var id) ? id : null;

    protected override async Task OnParametersSetAsync()
    {
        (room, user, word) = (RoomFilter, UserFilter, WordFilter);
        messages = await LoadAsync(ct => Api.ChatMessagesAsync(RoomId, UserId, WordFilter, IncludeDeleted, PageNumber ?? 1, ct));
        live = messages?.Items ?? [];
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            await CallAsync(ct => Feed.StartAsync(OnSentAsync, OnDeletedAsync, () => InvokeAsync(StateHasChanged), ct));
            StateHasChanged();
        }
    }

    /// <summary>Whether a message from the feed belongs in the list as it is filtered now.</summary>
    internal static bool Matches(AdminChatMessage message, Guid? roomId, Guid? userId, string? word) =>
        (roomId is null || message.StreamId == roomId)
        && (userId is null || message.UserId == userId)
        && (string.IsNullOrWhiteSpace(word) || message.Text.Contains(word.Trim(), StringComparison.OrdinalIgnoreCase));

    private Task OnSentAsync(AdminChatMessage message)
    {
        if (PageNumber > 1 || !Matches(message, RoomId, UserId, WordFilter))
        {
            return Task.CompletedTask;
        }

        // On the renderer's context, so the list never changes while it is being drawn.
        return InvokeAsync(() =>
        {
            live = [message, .. live.Take(MaxLive - 1)];

            StateHasChanged();
        });
    }

    private Task OnDeletedAsync(ChatMessageDeleted deleted) => InvokeAsync(() =>
    {
        if (!live.Any(m => m.Id == deleted.Id))
        {
            return;
        }

        live = IncludeDeleted
            ? live.Select(m => m.Id == deleted.Id ? m with { DeletedAt = DateTime.UtcNow } : m).ToList()
            : live.Where(m => m.Id != deleted.Id).ToList();

        StateHasChanged();
    });

    private void ApplyFilters() => NavigateWithQuery(("room", room?.Trim()), ("user", user?.Trim()), ("word", word?.Trim()));

    private async Task DeleteAsync(AdminChatMessage message)
    {
        var answer = await ReasonDialog.AskAsync(Dialogs, T["Delete message"], $"“{message.Text}”", destructive: true);
        if (answer is not null)
        {
            await CallAsync(ct => Api.DeleteMessageAsync(message.Id, answer.Reason, ct), T["Message deleted."]);
        }
    }

    private async Task TimeoutAsync(AdminChatMessage message)
    {
        var answer = await ReasonDialog.AskAsync(Dialogs, T["Time out"], string.Format(T["{0} cannot write in this room for the minutes given."], message.DisplayName),
            extraLabel: T["Minutes"]);
        if (answer is null)
        {
            return;
        }

        if (!int.TryParse(answer.Extra, out var minutes) || minutes is < 1 or > 7 * 24 * 60)
        {
            Snackbar.Add(T["Minutes: a whole number from 1 to 10080 (7 days)."], MudBlazor.Severity.Error);
            return;
        }

        await CallAsync(ct => Api.TimeoutAsync(message.StreamId, message.UserId!.Value, minutes * 60, answer.Reason, ct), T["Timed out."]);
    }

    private async Task RoomBanAsync(AdminChatMessage message)
    {
        var answer = await ReasonDialog.AskAsync(Dialogs, T["Ban from the room"], string.Format(T["Ban {0} from this streamer's rooms?"], message.DisplayName), destructive: true);
        if (answer is not null)
        {
            await CallAsync(ct => Api.RoomBanAsync(message.StreamId, message.UserId!.Value, answer.Reason, ct), T["Banned from the room."]);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _ = Feed.DisposeAsync().AsTask();
        }
    }
}
