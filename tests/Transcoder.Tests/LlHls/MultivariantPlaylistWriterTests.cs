using Nio.Shared.LlHls;

namespace Nio.Transcoder.Tests.LlHls;

public sealed class MultivariantPlaylistWriterTests
{
    [Fact]
    public void Lists_every_variant_with_its_attributes()
    {
        var text = MultivariantPlaylistWriter.Write(
        [
            new Variant("720p/index.m3u8", 3_200_000, 2_800_000, 1280, 720, "avc1.64001F,mp4a.40.2", 30),
            new Variant("360p/index.m3u8", 900_000, 800_000, 640, 360, "avc1.42C01E,mp4a.40.2", 29.97),
        ]);

        Assert.Equal(
            """
            #EXTM3U
            #EXT-X-INDEPENDENT-SEGMENTS
            #EXT-X-STREAM-INF:BANDWIDTH=3200000,AVERAGE-BANDWIDTH=2800000,RESOLUTION=1280x720,CODECS="avc1.64001F,mp4a.40.2",FRAME-RATE=30.000
            720p/index.m3u8
            #EXT-X-STREAM-INF:BANDWIDTH=900000,AVERAGE-BANDWIDTH=800000,RESOLUTION=640x360,CODECS="avc1.42C01E,mp4a.40.2",FRAME-RATE=29.970
            360p/index.m3u8

            """.ReplaceLineEndings("\n"),
            text);
    }
}
