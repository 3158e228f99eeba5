using System.Globalization;

namespace Nio.Bench.Clients;

/// <summary>
/// One LL-HLS viewer of one media playlist, at the live edge as a low-latency player is: a blocking playlist request
/// for the part after the last one it has (<c>_HLS_msn</c>/<c>_HLS_part</c>), then a GET of that part. After a failed
/// request it starts again from the live edge, as a player does. <paramref name="delivered"/> is told of every part it
/// held: the part, when the playlist answer naming it arrived and when the part's last byte did (UTC ticks).
/// </summary>
/// <param name="playlistUri">The media playlist, relative to <paramref name="http"/>'s base address; parts are fetched beside it.</param>
public sealed class LlHlsViewer(HttpClient http, string playlistUri, Action<LlHlsPart, long, long> delivered)
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromMilliseconds(250);

    private readonly string folder = playlistUri[..(playlistUri.LastIndexOf('/') + 1)];
    private readonly byte[] buffer = new byte[64 * 1024];

    public int Errors { get; private set; }

    /// <summary>Watches until <paramref name="stop"/> is cancelled; returns then without throwing.</summary>
    public async Task WatchAsync(TimeSpan joinAfter, CancellationToken stop)
    {
        try
        {
            await Task.Delay(joinAfter, stop);
            LlHlsPart? last = null;
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    last = last is null ? LiveEdge(await http.GetStringAsync(playlistUri, stop)) : await NextPartAsync(last, stop);
                }
                catch (Exception exception) when (exception is HttpRequestException or InvalidDataException
                    || exception is TaskCanceledException && !stop.IsCancellationRequested)
                {
                    Errors++;
                    last = null;
                    await Task.Delay(RetryAfter, stop);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The viewer leaves.
        }
    }

    private async Task<LlHlsPart> NextPartAsync(LlHlsPart last, CancellationToken stop)
    {
        // A part index past the segment's last part means part 0 of the next segment (RFC 8216bis §6.2.5.2).
        var playlist = await http.GetStringAsync(
            string.Create(CultureInfo.InvariantCulture, $"{playlistUri}?_HLS_msn={last.SequenceNumber}&_HLS_part={last.Index + 1}"), stop);
        var announced = DateTime.UtcNow.Ticks;
        var next = LlHlsPlaylist.Parts(playlist).FirstOrDefault(part => part.Number == last.Number + 1)
            ?? throw new InvalidDataException($"the blocking playlist lacks part {last.Number + 1}");

        using var response = await http.GetAsync(folder + next.Uri, HttpCompletionOption.ResponseHeadersRead, stop);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(stop);
        while (await body.ReadAsync(buffer, stop) > 0)
        {
        }

        delivered(next, announced, DateTime.UtcNow.Ticks);
        return next;
    }

    private static LlHlsPart LiveEdge(string playlist) =>
        LlHlsPlaylist.Parts(playlist).LastOrDefault() ?? throw new InvalidDataException("the playlist has no parts");
}
