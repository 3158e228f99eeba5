using Nio.Transcoder.Live;

namespace Nio.Transcoder.Tests.Live;

public sealed class FifoSetTests
{
    [Fact]
    public async Task Readers_of_pipes_no_writer_ever_opened_reach_end_of_file_once_released()
    {
        using var fifos = new FifoSet(["a.mp4", "b.mjpeg"]);
        var reads = fifos.Readers.Select(reader => Task.Run(async () => await reader.ReadAsync(new byte[16]))).ToList();

        fifos.ReleaseReaders();

        Assert.All(await Task.WhenAll(reads).WaitAsync(TimeSpan.FromSeconds(30)), read => Assert.Equal(0, read));
    }

    [Fact]
    public async Task A_reader_gets_everything_a_writer_wrote_before_it_closed_then_end_of_file()
    {
        using var fifos = new FifoSet(["a.mp4"]);
        var reading = Task.Run(async () =>
        {
            using var buffer = new MemoryStream();
            await fifos.Readers[0].CopyToAsync(buffer);
            return buffer.ToArray();
        });

        // FFmpeg's side: opens the path for writing, writes, exits.
        await using (var writer = new FileStream(fifos.Paths[0], FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0))
        {
            await writer.WriteAsync(new byte[] { 1, 2, 3 });
        }

        fifos.ReleaseReaders();

        Assert.Equal([1, 2, 3], await reading.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
