using System.Collections.Concurrent;
using Nio.Bench.Clients;

namespace Nio.Bench.Soak;

/// <summary>
/// A live audience of a constant size: each of <see cref="SoakSettings.Viewers"/> seats holds one viewer session after
/// another, spread over the renditions. A session is an LL-HLS player at the live edge (<see cref="LlHlsViewer"/>,
/// with connections of its own) and, in the first <see cref="SoakSettings.ChatViewers"/> seats, a chat reader in the
/// stream's room; it lasts 0.5–1.5 × <see cref="SoakSettings.ViewerSession"/> (the whole run when that is zero),
/// then its connections close and a new viewer takes the seat, so the services see viewers come and go as they do live.
/// </summary>
/// <remarks>
/// A stall is what a player holding PART-HOLD-BACK of media behind the live edge would run into: two parts reaching a
/// session more than PART-HOLD-BACK apart (its buffer ran dry), a session that goes on past a missing part (it
/// restarted from the live edge after a failed request: media lost), or a new session whose first part comes later
/// than three target durations (the Origin's own deadline for a blocking playlist request). An open gap counts too
/// when the session ends.
/// </remarks>
public sealed class Audience(Uri origin, Guid streamId, IRoom room, SoakSettings settings)
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<LlHlsViewer, bool> watching = new();

    private long sessions;
    private long stalledSessions;
    private long parts;
    private long finishedErrors;
    private long lateParts;
    private long slowStarts;
    private long skips;
    private long longestGapTicks;
    private long chatJoinFailures;
    private long chatDropped;
    private long chatReceived;

    public TimeSpan HoldBack { get; private set; }

    public TimeSpan FirstPartLimit { get; private set; }

    public long Sessions => Interlocked.Read(ref sessions);

    public long ActiveSessions => watching.Count;

    public long StalledSessions => Interlocked.Read(ref stalledSessions);

    public long Parts => Interlocked.Read(ref parts);

    /// <summary>Failed requests (each sends its viewer back to the live edge).</summary>
    public long Errors => Interlocked.Read(ref finishedErrors) + watching.Keys.Sum(viewer => (long)viewer.Errors);

    public long LateParts => Interlocked.Read(ref lateParts);

    public long SlowStarts => Interlocked.Read(ref slowStarts);

    public long Skips => Interlocked.Read(ref skips);

    public long Stalls => LateParts + SlowStarts + Skips;

    public TimeSpan LongestGap => TimeSpan.FromTicks(Interlocked.Read(ref longestGapTicks));

    public long ChatJoinFailures => Interlocked.Read(ref chatJoinFailures);

    /// <summary>Chat connections the server closed while their viewer stayed.</summary>
    public long ChatDropped => Interlocked.Read(ref chatDropped);

    public long ChatReceived => Interlocked.Read(ref chatReceived);

    public async Task RunAsync(CancellationToken stop)
    {
        using var http = NewClient();
        var renditions = LlHlsPlaylist.Renditions(await http.GetStringAsync("master.m3u8", stop));
        var media = await http.GetStringAsync($"{renditions[0]}/index.m3u8", stop);
        HoldBack = TimeSpan.FromSeconds(LlHlsPlaylist.Number(media, "#EXT-X-SERVER-CONTROL", "PART-HOLD-BACK"));
        FirstPartLimit = 3 * TimeSpan.FromSeconds(LlHlsPlaylist.Number(media, "#EXT-X-TARGETDURATION"));

        // The first viewers arrive over a few seconds rather than in one burst.
        var arrival = TimeSpan.FromSeconds(5);
        await Task.WhenAll(Enumerable.Range(0, settings.Viewers).Select(seat =>
            SeatAsync(seat, renditions, arrival * seat / settings.Viewers, stop)));
    }

    private async Task SeatAsync(int seat, List<string> renditions, TimeSpan arriveAfter, CancellationToken stop)
    {
        try
        {
            await Task.Delay(arriveAfter, stop);
            for (var visit = 0; !stop.IsCancellationRequested; visit++)
            {
                await SessionAsync(renditions[(seat + visit) % renditions.Count], seat < settings.ChatViewers, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run is over.
        }
    }

    private async Task SessionAsync(string rendition, bool chats, CancellationToken stop)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(stop);
        if (settings.ViewerSession > TimeSpan.Zero)
        {
            session.CancelAfter(settings.ViewerSession * (0.5 + Random.Shared.NextDouble()));
        }

        Interlocked.Increment(ref sessions);
        using var http = NewClient();
        var playback = new Playback(this, DateTime.UtcNow.Ticks);
        var viewer = new LlHlsViewer(http, $"{rendition}/index.m3u8", playback.Delivered);
        // The watch page starts its chat beside the video, not before it.
        var chat = chats ? JoinChatAsync(session.Token) : Task.FromResult<IAsyncDisposable?>(null);
        watching.TryAdd(viewer, true);
        await viewer.WatchAsync(TimeSpan.Zero, session.Token);
        playback.Leave(DateTime.UtcNow.Ticks);
        Interlocked.Add(ref finishedErrors, viewer.Errors);
        watching.TryRemove(viewer, out _);
        if (await chat is { } connection)
        {
            await connection.DisposeAsync();
        }
    }

    private async Task<IAsyncDisposable?> JoinChatAsync(CancellationToken session)
    {
        try
        {
            return await room.JoinAsViewerAsync(
                _ => Interlocked.Increment(ref chatReceived),
                () =>
                {
                    if (!session.IsCancellationRequested)
                    {
                        Interlocked.Increment(ref chatDropped);
                    }
                },
                session);
        }
        catch (OperationCanceledException) when (session.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception)
        {
            Interlocked.Increment(ref chatJoinFailures);
            return null;
        }
    }

    private HttpClient NewClient() => new()
    {
        BaseAddress = new Uri(origin, $"live/{streamId}/"),
        Timeout = RequestTimeout,
    };

    private static void Max(ref long field, long value)
    {
        for (var current = Interlocked.Read(ref field); value > current; current = Interlocked.Read(ref field))
        {
            if (Interlocked.CompareExchange(ref field, value, current) == current)
            {
                return;
            }
        }
    }

    /// <summary>One session's playback: when its last part arrived and which it was. A viewer reports one part at a time.</summary>
    private sealed class Playback(Audience audience, long joinedTicks)
    {
        private long lastTicks = joinedTicks;
        private long lastNumber = -1;
        private bool stalled;

        public void Delivered(LlHlsPart part, long announcedTicks, long receivedTicks)
        {
            Interlocked.Increment(ref audience.parts);
            var gap = receivedTicks - lastTicks;
            if (lastNumber < 0)
            {
                if (gap > audience.FirstPartLimit.Ticks)
                {
                    Stall(ref audience.slowStarts);
                }
            }
            else
            {
                Max(ref audience.longestGapTicks, gap);
                if (part.Number != lastNumber + 1)
                {
                    Stall(ref audience.skips);
                }
                else if (gap > audience.HoldBack.Ticks)
                {
                    Stall(ref audience.lateParts);
                }
            }

            (lastTicks, lastNumber) = (receivedTicks, part.Number);
        }

        /// <summary>The session ends: a gap still open past its limit is a stall too.</summary>
        public void Leave(long nowTicks)
        {
            var gap = nowTicks - lastTicks;
            if (lastNumber < 0 && gap > audience.FirstPartLimit.Ticks)
            {
                Stall(ref audience.slowStarts);
            }
            else if (lastNumber >= 0 && gap > audience.HoldBack.Ticks)
            {
                Max(ref audience.longestGapTicks, gap);
                Stall(ref audience.lateParts);
            }
        }

        private void Stall(ref long kind)
        {
            Interlocked.Increment(ref kind);
            if (!stalled)
            {
                stalled = true;
                Interlocked.Increment(ref audience.stalledSessions);
            }
        }
    }
}
