using System.Buffers;
using Nio.TestSupport;
using Nio.Transcoder.Thumbnails;

namespace Nio.Transcoder.Tests.Thumbnails;

/// <summary>Splitting FFmpeg's image2pipe output into whole JPEG images, at every split point and against bad input.</summary>
public sealed class JpegReaderTests : IAsyncLifetime
{
    private byte[] first = [];
    private byte[] second = [];

    public async Task InitializeAsync()
    {
        // Two frames of a busy pattern, as the Transcoder gets them: concatenated, nothing between.
        var file = Path.Combine(Path.GetTempPath(), $"nio-jpegs-{Guid.NewGuid():N}.mjpeg");
        var (exitCode, _, error) = await TestHost.RunAsync("ffmpeg",
        [
            "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=2", "-frames:v", "2",
            "-pix_fmt", "yuv420p", "-color_range", "pc", "-strict", "unofficial", "-c:v", "mjpeg", "-f", "image2pipe", file,
        ]);
        Assert.True(exitCode == 0, error);
        var both = await File.ReadAllBytesAsync(file);
        File.Delete(file);
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(both));
        Assert.True(JpegReader.TryReadImage(ref reader, out var image));
        first = image.ToArray();
        second = both[first.Length..];
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public void Concatenated_images_come_out_one_by_one_whole()
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>([.. first, .. second]));

        Assert.True(JpegReader.TryReadImage(ref reader, out var one));
        Assert.True(JpegReader.TryReadImage(ref reader, out var two));
        Assert.False(JpegReader.TryReadImage(ref reader, out _));
        Assert.Equal(first, one.ToArray());
        Assert.Equal(second, two.ToArray());
        Assert.True(first is [0xFF, 0xD8, .., 0xFF, 0xD9] && second is [0xFF, 0xD8, .., 0xFF, 0xD9]);
        Assert.Contains((byte)0x00, first.Where((_, i) => i > 0 && first[i - 1] == 0xFF)); // the scan holds stuffed 0xFF bytes
    }

    [Fact]
    public void Every_prefix_asks_for_more_and_consumes_nothing()
    {
        for (var length = 0; length < first.Length; length++)
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(first, 0, length));
            Assert.False(JpegReader.TryReadImage(ref reader, out _), $"prefix of {length} bytes");
            Assert.Equal(0, reader.Consumed);
        }
    }

    [Fact]
    public void One_byte_per_segment_reads_the_same_image()
    {
        var reader = new SequenceReader<byte>(Sequences.SegmentPerByte(first));

        Assert.True(JpegReader.TryReadImage(ref reader, out var image));
        Assert.Equal(first, image.ToArray());
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x01, 0x02, 0x03 })]
    [InlineData(new byte[] { 0xFF, 0xD9 })]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xD8 })]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01 })]
    [InlineData(new byte[] { 0xFF, 0xD8, 0x12 })]
    public void What_is_not_a_jpeg_image_is_refused(byte[] input)
    {
        Assert.Throws<InvalidDataException>(() =>
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(input));
            JpegReader.TryReadImage(ref reader, out _);
        });
    }

    [Fact]
    public void An_image_that_never_ends_is_refused_past_the_limit()
    {
        // SOI, then a scan header, then entropy-coded data with no marker.
        byte[] endless = [0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02, .. new byte[JpegReader.MaxImageBytes]];

        Assert.Throws<InvalidDataException>(() =>
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(endless));
            JpegReader.TryReadImage(ref reader, out _);
        });
    }
}
