using System.Text;
using System.Text.Json;

namespace Nio.Transcoder.Retention;

/// <summary>Where the retention reports wait for the Api, and how many (section <c>RetentionQueue</c>).</summary>
public sealed class RetentionQueueOptions
{
    /// <summary>The folder of the queue's journal; default <c>NIO_DATA_DIR/retention</c>.</summary>
    public string? Directory { get; set; }

    /// <summary>
    /// The most the waiting reports may take, as stored (about 100 bytes per file named); beyond it new reports are
    /// dropped and logged, and their files stay in the store. 16 MB is hours of a busy Transcoder's reports. The journal
    /// file holds at most half as much again of reports already taken.
    /// </summary>
    public int MaxMegabytes { get; set; } = 16;
}

/// <summary>One request for the Api: what left the playlists (<see cref="Expired"/>), or the recording was written (null).</summary>
public sealed record RetentionReport(string Route, ExpiredMediaReport? Expired);

/// <summary>The body of <c>POST /api/transcoder/streams/{id}/expired-media</c>.</summary>
public sealed record ExpiredMediaReport(IReadOnlyList<string> Paths, bool UnlessLive);

/// <summary>
/// The retention reports the Api has not taken yet, in order, bounded by <see cref="RetentionQueueOptions.MaxMegabytes"/>
/// and kept in a journal file as well as in memory: a Transcoder that restarts while the Api is away still has them
/// (they are what tells the Api to delete the files that left the playlists; a lost one leaves its files in the store
/// for good).
/// </summary>
/// <remarks>
/// The journal is one file of JSON lines, appended to as reports arrive and emptied whenever every report in it was
/// taken (or rewritten without the taken ones when they fill half of it). A report taken just before a crash may be
/// sent again after it: the Api takes a report twice without harm. When the journal cannot be written (a full disk,
/// another Transcoder holding it) reports are still queued in memory, and the log says so.
/// </remarks>
public sealed partial class RetentionReports : IDisposable
{
    private const string JournalName = "reports.jsonl";

    private readonly Lock gate = new();
    private readonly Queue<Queued> queue = new();
    private readonly SemaphoreSlim available = new(0);
    private readonly long maxBytes;
    private readonly ILogger logger;
    private FileStream? journal;
    private long queuedBytes;
    // Journal bytes before the first queued report's line: reports taken since the journal was last emptied.
    private long taken;
    private long dropped;
    private bool journalFailing;

    public RetentionReports(string directory, long maxBytes, ILogger<RetentionReports> logger)
    {
        this.maxBytes = maxBytes;
        this.logger = logger;
        try
        {
            System.IO.Directory.CreateDirectory(directory);
            // FileShare.None locks the file (flock): a second Transcoder on the same data folder cannot take it over.
            journal = new FileStream(Path.Combine(directory, JournalName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
            Recover();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            journal?.Dispose();
            journal = null;
            LogNoJournal(directory, exception.Message);
        }
    }

    /// <summary>Reports waiting, and their size as stored.</summary>
    public (int Count, long Bytes) Waiting
    {
        get
        {
            lock (gate)
            {
                return (queue.Count, queuedBytes);
            }
        }
    }

    /// <summary>Queues the report unless the queue is full (then it is dropped, and the log says so). Never throws, never waits.</summary>
    public void Add(RetentionReport report)
    {
        var line = JsonSerializer.SerializeToUtf8Bytes(report);
        lock (gate)
        {
            if (queuedBytes + line.Length + 1 > maxBytes)
            {
                if (dropped++ == 0)
                {
                    LogFull(maxBytes);
                }

                return;
            }

            if (dropped > 0)
            {
                LogAcceptingAgain(dropped);
                dropped = 0;
            }

            Enqueue(report, line.Length + 1, Append(line));
        }

        available.Release();
    }

    /// <summary>The oldest report not taken yet, once there is one. The single reader calls <see cref="Taken"/> before asking again.</summary>
    public async Task<RetentionReport> NextAsync(CancellationToken cancellationToken)
    {
        await available.WaitAsync(cancellationToken);
        lock (gate)
        {
            return queue.Peek().Report;
        }
    }

    /// <summary>The Api took the report <see cref="NextAsync"/> returned (or refused it for good): it leaves the queue.</summary>
    public void Taken()
    {
        lock (gate)
        {
            var report = queue.Dequeue();
            queuedBytes -= report.Bytes;
            if (report.Journaled)
            {
                taken += report.Bytes;
            }

            if (journal is null)
            {
                return;
            }

            try
            {
                if (queue.Count == 0)
                {
                    journal.SetLength(0);
                    taken = 0;
                }
                else if (taken > maxBytes / 2)
                {
                    Compact();
                }
            }
            catch (IOException exception)
            {
                // Left as it is: the reports still in it are sent again after a restart, which does no harm.
                LogJournalFailing(exception.Message);
            }
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            journal?.Dispose();
            journal = null;
        }

        // The semaphore is not disposed: a report that arrives during shutdown is still queued (in memory) without throwing.
    }

    private void Enqueue(RetentionReport report, long bytes, bool journaled)
    {
        queue.Enqueue(new Queued(report, bytes, journaled));
        queuedBytes += bytes;
    }

    /// <summary>Appends the report's line to the journal; false when it could not be written.</summary>
    private bool Append(byte[] line)
    {
        if (journal is null)
        {
            return false;
        }

        var end = journal.Length;
        try
        {
            RandomAccess.Write(journal.SafeFileHandle, [.. line, (byte)'\n'], end);
            if (journalFailing)
            {
                journalFailing = false;
                LogJournalWorks();
            }

            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // A partial line would spoil the next one: cut it off.
            TryTruncate(end);
            if (!journalFailing)
            {
                journalFailing = true;
                LogJournalFailing(exception.Message);
            }

            return false;
        }
    }

    /// <summary>
    /// Queues what a previous run left in the journal. Lines that cannot be read (a crash cut the last one short) or do
    /// not fit under the bound are left out, and the journal is rewritten without them.
    /// </summary>
    private void Recover()
    {
        var bytes = new byte[journal!.Length];
        journal.ReadExactly(bytes);
        using var kept = new MemoryStream();
        var start = 0;
        int end;
        while ((end = Array.IndexOf(bytes, (byte)'\n', start)) >= 0)
        {
            var line = bytes.AsMemory(start, end - start + 1);
            if (Parse(line.Span[..^1]) is { } report && queuedBytes + line.Length <= maxBytes)
            {
                Enqueue(report, line.Length, journaled: true);
                kept.Write(line.Span);
                available.Release();
            }

            start = end + 1;
        }

        if (kept.Length < bytes.Length)
        {
            RandomAccess.Write(journal.SafeFileHandle, kept.GetBuffer().AsSpan(0, (int)kept.Length), 0);
            journal.SetLength(kept.Length);
        }

        if (queue.Count > 0)
        {
            LogRecovered(queue.Count);
        }
    }

    private static RetentionReport? Parse(ReadOnlySpan<byte> line)
    {
        try
        {
            return JsonSerializer.Deserialize<RetentionReport>(line) is { Route: not null } report ? report : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Rewrites the journal without the taken reports at its head (kept in place: the file stays locked).</summary>
    private void Compact()
    {
        var rest = new byte[journal!.Length - taken];
        RandomAccess.Read(journal.SafeFileHandle, rest, taken);
        RandomAccess.Write(journal.SafeFileHandle, rest, 0);
        journal.SetLength(rest.Length);
        taken = 0;
    }

    private void TryTruncate(long length)
    {
        try
        {
            journal!.SetLength(length);
        }
        catch (IOException)
        {
            // Then the unreadable line is skipped at recovery.
        }
    }

    private sealed record Queued(RetentionReport Report, long Bytes, bool Journaled);

    [LoggerMessage(Level = LogLevel.Error, Message = "The retention reports cannot be kept in {Directory} ({Reason}): they wait in memory only, and a restart loses them")]
    private partial void LogNoJournal(string directory, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The retention report journal cannot be written ({Reason}): reports wait in memory only until it can")]
    private partial void LogJournalFailing(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "The retention report journal is written again")]
    private partial void LogJournalWorks();

    [LoggerMessage(Level = LogLevel.Error, Message = "{MaxBytes} bytes of retention reports wait for the Api: new ones are dropped, and their files stay in the media store")]
    private partial void LogFull(long maxBytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The retention queue takes reports again; {Count} were dropped")]
    private partial void LogAcceptingAgain(long count);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} retention reports from before the restart wait for the Api")]
    private partial void LogRecovered(int count);
}
