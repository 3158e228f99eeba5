using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Nio.Admin.ApiClient;
using Nio.Admin.Components.Shared;

namespace Nio.Admin.Components.Pages.Streams;

/// <summary>A live stream's LL-HLS playback (hls.js, muted) and the Ingest's latest report on its codecs and bitrates.</summary>
public partial class StreamPreviewDialog : OperatorPage, IAsyncDisposable
{
    private ElementReference video;
    private StreamHealth? health;

    [Inject]
    private IJSRuntime Js { get; set; } = default!;

    [Parameter, EditorRequired]
    public AdminStream Stream { get; set; } = default!;

    protected override Task OnInitializedAsync() => CallAsync(async ct =>
    {
        try
        {
            health = await Api.StreamHealthAsync(Stream.Id, ct);
        }
        catch (ApiProblemException problem) when (problem.Status == System.Net.HttpStatusCode.NotFound)
        {
            // No report yet: the dialog says so.
        }
    });

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && Stream.PlaybackUrl is not null)
        {
            await Js.InvokeVoidAsync("nioAdmin.playHls", video, Stream.PlaybackUrl);
        }
    }

    /// <summary>The Api's health warnings as sentences; an unknown one shows as the Api names it.</summary>
    private static string WarningText(string warning) => warning switch
    {
        "keyframeIntervalTooLong" => "Keyframes are more than 2 s apart: players wait to join.",
        "noRecentMedia" => "No media for more than 5 s: the stream is stalling.",
        "noAudio" => "No audio track.",
        "noVideo" => "No video track.",
        "sourceReencoded" => "The source is re-encoded because its keyframes are too far apart.",
        _ => warning,
    };

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Js.InvokeVoidAsync("nioAdmin.stopHls", video);
        }
        catch (JSDisconnectedException)
        {
            // The page is gone with its player.
        }
    }
}
