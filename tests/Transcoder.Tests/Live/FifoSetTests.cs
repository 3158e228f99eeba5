using System.Buffers;
using System.IO.Pipelines;
using Nio.Transcoder.Live;

namespace Nio.Transcoder.Tests.Live;

public sealed class FifoSetTests
{
    [Fact]
    public async Task Readers_of_pipes_no_writer_ever_opened_reach_end_of_file_once_released()
    {
        using var fifos = new FifoSet(["a.mp4", "b.mjpeg"]);
        var reads = fifos.Readers.Select(reader => ReadAllAsync(reader)).ToList();

        fifos.ReleaseReaders();

        Assert.All(await Task.WhenAll(reads).WaitAsync(TimeSpan.FromSeconds(30)), bytes => Assert.Empty(bytes));
    }

    [Fact]
    public async Task A_reader_gets_everything_a_writer_wrote_before_it_closed_then_end_of_file()
    {
        using var fifos = new FifoSet(["a.mp4"]);
        var reading = ReadAllAsync(fifos.Readers[0]);

        // FFmpeg's side: opens the path for writing, writes, exits.
        await using (var writer = new FileStream(fifos.Paths[0], FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0))
        {
            await writer.WriteAsync(new byte[] { 1, 2, 3 });
        }

        fifos.ReleaseReaders();

        Assert.Equal([1, 2, 3], await reading.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Readers_waiting_for_ffmpeg_hold_no_thread_pool_thread()
    {
        // More waiting pipes than the pool has threads now: reads that each waited in a pool thread would starve it
        // until it injected a thread for each (about two a second), and work queued behind them would wait as long.
        var count = ThreadPool.ThreadCount + 2 * Environment.ProcessorCount + 8;
        using var fifos = new FifoSet(Enumerable.Range(0, count).Select(i => $"rendition{i}.mp4"));

        // Asking for data returns at once, with the read still pending: the asking thread does not wait in it.
        var asking = Task.Factory.StartNew(() => fifos.Readers.Select(reader => reader.ReadAsync().AsTask()).ToList(), TaskCreationOptions.LongRunning);
        var returned = await Task.WhenAny(asking, Task.Delay(TimeSpan.FromSeconds(5))) == asking;
        if (!returned)
        {
            fifos.ReleaseReaders();
        }

        Assert.True(returned, "a read waited in the thread that asked for it");
        var reads = await asking;
        Assert.DoesNotContain(reads, read => read.IsCompleted);
        await Task.Run(() => { }).WaitAsync(TimeSpan.FromSeconds(2));

        await using (var writer = new FileStream(fifos.Paths[^1], FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0))
        {
            await writer.WriteAsync(new byte[] { 7 });
        }

        var last = await reads[^1].WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([7], last.Buffer.ToArray());
        fifos.ReleaseReaders();
        await Task.WhenAll(reads).WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static async Task<byte[]> ReadAllAsync(PipeReader reader)
    {
        using var buffer = new MemoryStream();
        while (true)
        {
            var result = await reader.ReadAsync();
            foreach (var segment in result.Buffer)
            {
                buffer.Write(segment.Span);
            }

            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                await reader.CompleteAsync();
                return buffer.ToArray();
            }
        }
    }
}
