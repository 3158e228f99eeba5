using System.Text;

namespace Nio.Shared.LlHls;

/// <summary>Writes the media playlist of a recording: every segment of the broadcasts, as video on demand.</summary>
public static class VodPlaylistWriter
{
    public static string Write(IReadOnlyList<RecordedSegment> segments)
    {
        var text = new StringBuilder();
        text.Append("#EXTM3U\n");

        // Version 7: fragmented MP4 segments with EXT-X-MAP (RFC 8216bis §4.4.4.5, §7).
        text.Append("#EXT-X-VERSION:7\n");
        // §4.4.3.1: EXT-X-TARGETDURATION bounds every EXTINF rounded to the nearest integer.
        var targetDuration = segments.Count > 0 ? segments.Max(segment => Segmenter.RoundToSeconds(segment.Duration)) : 1;
        MediaPlaylistWriter.Append(text, $"#EXT-X-TARGETDURATION:{targetDuration}");
        text.Append("#EXT-X-PLAYLIST-TYPE:VOD\n");
        text.Append("#EXT-X-MEDIA-SEQUENCE:0\n");
        string? init = null;
        foreach (var segment in segments)
        {
            if (segment.Discontinuity)
            {
                text.Append("#EXT-X-DISCONTINUITY\n");
            }

            // A restarted FFmpeg (or a publisher who came back) may have made a different init segment.
            if (segment.InitUri != init)
            {
                init = segment.InitUri;
                MediaPlaylistWriter.Append(text, $"#EXT-X-MAP:URI=\"{init}\"");
            }

            MediaPlaylistWriter.AppendProgramDateTime(text, segment.ProgramDateTime);
            MediaPlaylistWriter.Append(text, $"#EXTINF:{MediaPlaylistWriter.Decimal(segment.Duration)},");
            text.Append(segment.Uri).Append('\n');
        }

        text.Append("#EXT-X-ENDLIST\n");
        return text.ToString();
    }
}
