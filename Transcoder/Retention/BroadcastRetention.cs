using Nio.Shared.Hosting;

namespace Nio.Transcoder.Retention;

/// <summary>
/// What happens to one broadcast's files once no playlist names them. Parts always go (a segment holds the same
/// bytes); segments go unless the stream is recorded. Whether it is comes from the Api, asked until it answers:
/// segments that leave the window before then wait here, and a broadcast that ends without an answer counts as
/// recorded, so nothing is deleted on a guess.
/// </summary>
public sealed class BroadcastRetention(Guid streamId, IMediaRetention retention)
{
    private readonly Lock gate = new();
    private readonly List<string> undecided = [];
    private bool? record;

    public Guid StreamId => streamId;

    /// <summary>Keep every segment and write the recording: the stream is recorded, or the Api never said.</summary>
    public bool Record
    {
        get
        {
            lock (gate)
            {
                return record ?? true;
            }
        }
    }

    /// <summary>
    /// Asks the Api whether the stream is recorded until it answers or <paramref name="cancellationToken"/> ends: at once,
    /// then after 1 s, 2 s… up to every 30 s. Whatever goes wrong meanwhile (no answer, a garbled one) only means asking again.
    /// </summary>
    public async Task DecideAsync(CancellationToken cancellationToken)
    {
        for (var failures = 1; ; failures++)
        {
            try
            {
                var answer = await retention.IsRecordedAsync(streamId, cancellationToken);
                lock (gate)
                {
                    record = answer;
                    if (!answer && undecided.Count > 0)
                    {
                        retention.Expire(streamId, [.. undecided], unlessLive: false);
                    }

                    undecided.Clear();
                }

                return;
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(Backoff.Delay(failures, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)), cancellationToken);
            }
        }
    }

    public void PartsLeft(IReadOnlyList<string> paths)
    {
        if (paths.Count > 0)
        {
            retention.Expire(streamId, paths, unlessLive: false);
        }
    }

    public void SegmentsLeft(IReadOnlyList<string> paths)
    {
        if (paths.Count == 0)
        {
            return;
        }

        lock (gate)
        {
            if (record is null)
            {
                undecided.AddRange(paths);
            }
            else if (record == false)
            {
                retention.Expire(streamId, paths, unlessLive: false);
            }
        }
    }

    /// <summary>The broadcast ended unrecorded: its remaining media, and the stream's playlists unless a new broadcast has taken them over.</summary>
    public void Ended(IReadOnlyList<string> media, IReadOnlyList<string> playlists)
    {
        retention.Expire(streamId, media, unlessLive: false);
        retention.Expire(streamId, playlists, unlessLive: true);
    }

    public void RecordingWritten() => retention.RecordingWritten(streamId);
}
