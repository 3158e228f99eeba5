using System.Globalization;
using System.Text;

namespace Nio.Shared.LlHls;

/// <summary>Writes a rendition's LL-HLS media playlist (draft-pantos-hls-rfc8216bis) from its state.</summary>
public static class MediaPlaylistWriter
{
    /// <summary>
    /// The PART-HOLD-BACK every playlist declares, in seconds: how far from the live edge a low-latency player stays.
    /// §4.4.3.8: PART-HOLD-BACK MUST be at least twice PART-TARGET and SHOULD be at least three times it.
    /// </summary>
    public static double PartHoldBack(double partTarget) => 3 * partTarget;

    public static string Write(MediaPlaylist playlist, IReadOnlyList<RenditionReport> renditionReports)
    {
        var text = new StringBuilder();
        text.Append("#EXTM3U\n");

        // Version 9 is where the low-latency tags (EXT-X-PART, -PART-INF, -SERVER-CONTROL, -PRELOAD-HINT) belong.
        text.Append("#EXT-X-VERSION:9\n");
        Append(text, $"#EXT-X-TARGETDURATION:{playlist.TargetDuration}");

        Append(text, $"#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK={Decimal(PartHoldBack(playlist.PartTarget))}");
        Append(text, $"#EXT-X-PART-INF:PART-TARGET={Decimal(playlist.PartTarget)}");
        Append(text, $"#EXT-X-MEDIA-SEQUENCE:{playlist.MediaSequence}");
        if (playlist.DiscontinuitySequence > 0)
        {
            Append(text, $"#EXT-X-DISCONTINUITY-SEQUENCE:{playlist.DiscontinuitySequence}");
        }

        // Each FFmpeg run has its own init: named again after the discontinuity where it changes (§4.4.4.5: it applies
        // to every segment until the next EXT-X-MAP).
        var init = playlist.Segments.Count > 0 ? playlist.Segments[0].InitUri : playlist.Open?.InitUri ?? MediaUris.Init;
        Append(text, $"#EXT-X-MAP:URI=\"{init}\"");

        var firstWithParts = playlist.FirstSegmentWithParts;
        for (var i = 0; i < playlist.Segments.Count; i++)
        {
            var segment = playlist.Segments[i];
            AppendSegmentStart(text, segment.Discontinuity, ref init, segment.InitUri, segment.ProgramDateTime, i >= firstWithParts ? segment.Parts : []);
            Append(text, $"#EXTINF:{Decimal(segment.Duration)},");
            text.Append(segment.Uri).Append('\n');
        }

        if (playlist.Open is { } open)
        {
            AppendSegmentStart(text, open.Discontinuity, ref init, open.InitUri, open.ProgramDateTime, open.Parts);
        }

        if (playlist.Ended)
        {
            text.Append("#EXT-X-ENDLIST\n");
            return text.ToString();
        }

        Append(text, $"#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"{playlist.NextPartUri}\"");
        foreach (var report in renditionReports)
        {
            Append(text, $"#EXT-X-RENDITION-REPORT:URI=\"{report.Uri}\",LAST-MSN={report.LastMsn},LAST-PART={report.LastPart}");
        }

        return text.ToString();
    }

    private static void AppendSegmentStart(
        StringBuilder text, bool discontinuity, ref string init, string segmentInit, DateTimeOffset programDateTime, IReadOnlyList<Part> parts)
    {
        if (discontinuity)
        {
            text.Append("#EXT-X-DISCONTINUITY\n");
        }

        if (segmentInit != init)
        {
            init = segmentInit;
            Append(text, $"#EXT-X-MAP:URI=\"{init}\"");
        }

        AppendProgramDateTime(text, programDateTime);
        foreach (var part in parts)
        {
            Append(text, $"#EXT-X-PART:DURATION={Decimal(part.Duration)},URI=\"{part.Uri}\"{(part.Independent ? ",INDEPENDENT=YES" : "")}");
        }
    }

    internal static void AppendProgramDateTime(StringBuilder text, DateTimeOffset programDateTime) =>
        Append(text, $"#EXT-X-PROGRAM-DATE-TIME:{programDateTime.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}");

    internal static void Append(StringBuilder text, FormattableString line) =>
        text.Append(line.ToString(CultureInfo.InvariantCulture)).Append('\n');

    internal static string Decimal(double seconds) => seconds.ToString("0.00000", CultureInfo.InvariantCulture);
}
