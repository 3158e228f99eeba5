using System.Globalization;
using System.Text;

namespace Nio.Shared.LlHls;

/// <summary>Writes the multivariant playlist (master.m3u8) that lists a stream's renditions.</summary>
public static class MultivariantPlaylistWriter
{
    public static string Write(IReadOnlyList<Variant> variants)
    {
        var text = new StringBuilder("#EXTM3U\n");

        // Every segment NIO cuts starts on a keyframe.
        text.Append("#EXT-X-INDEPENDENT-SEGMENTS\n");
        foreach (var variant in variants)
        {
            text.Append(string.Create(
                CultureInfo.InvariantCulture,
                $"#EXT-X-STREAM-INF:BANDWIDTH={variant.Bandwidth},AVERAGE-BANDWIDTH={variant.AverageBandwidth},RESOLUTION={variant.Width}x{variant.Height},CODECS=\"{variant.Codecs}\",FRAME-RATE={variant.FrameRate:0.000}\n"));
            text.Append(variant.Uri).Append('\n');
        }

        return text.ToString();
    }
}
