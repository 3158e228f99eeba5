using System.Globalization;

namespace Nio.Shared.LlHls;

/// <summary>How the Origin answers a playlist request that carries delivery directives.</summary>
public enum BlockingReloadDecision
{
    /// <summary>Send the current playlist now.</summary>
    Ready,

    /// <summary>Hold the request and decide again when the playlist changes; after three target durations answer 503 (§6.2.5.2).</summary>
    Wait,

    /// <summary>Answer 400.</summary>
    BadRequest,
}

/// <summary>Blocking playlist reload (draft-pantos-hls-rfc8216bis §6.2.5.2), as a pure decision on one playlist snapshot.</summary>
public static class BlockingReload
{
    /// <param name="msn">The raw <c>_HLS_msn</c> query value, or null when absent.</param>
    /// <param name="part">The raw <c>_HLS_part</c> query value, or null when absent.</param>
    public static BlockingReloadDecision Decide(MediaPlaylist playlist, string? msn, string? part)
    {
        // "A Server MUST ignore _HLS_msn and _HLS_part if the Playlist contains an EXT-X-ENDLIST tag."
        if (playlist.Ended || (msn is null && part is null))
        {
            return BlockingReloadDecision.Ready;
        }

        // "If the Playlist URI contains an _HLS_part directive but no _HLS_msn directive, the Server MUST return Bad Request."
        // Both values are decimal-integers (§4.2): digits only.
        if (!TryParseDecimalInteger(msn, out var requestedMsn))
        {
            return BlockingReloadDecision.BadRequest;
        }

        long? requestedPart = null;
        if (part is not null)
        {
            if (!TryParseDecimalInteger(part, out var parsedPart))
            {
                return BlockingReloadDecision.BadRequest;
            }

            requestedPart = parsedPart;
        }

        var lastMsn = playlist.MediaSequence + playlist.Segments.Count - 1;

        // "If the _HLS_msn is greater than the Media Sequence Number of the last Media Segment in the current Playlist
        // plus two ... the server SHOULD immediately return Bad Request." The last Media Segment is the last complete one.
        if (requestedMsn > lastMsn + 2)
        {
            return BlockingReloadDecision.BadRequest;
        }

        // _HLS_msn alone: "defer responding ... until the Playlist contains a Media Segment with a Media Sequence Number of M or later".
        if (requestedPart is not { } partIndex)
        {
            return requestedMsn <= lastMsn ? BlockingReloadDecision.Ready : BlockingReloadDecision.Wait;
        }

        // Any later complete segment has parts, so part N "of M or later" exists; so has segment M if N is one of its parts.
        if (requestedMsn < lastMsn || (requestedMsn == lastMsn && playlist.Segments is [.., var last] && partIndex < last.Parts.Count))
        {
            return BlockingReloadDecision.Ready;
        }

        // "If the Client requests a Part Index greater than that of the final Partial Segment of the Parent Segment, the
        // Server MUST treat the request as one for Part Index 0 of the following Parent Segment."
        if (requestedMsn == lastMsn)
        {
            (requestedMsn, partIndex) = (lastMsn + 1, 0);
        }

        var openParts = playlist.Open?.Parts.Count ?? 0;
        if (requestedMsn == lastMsn + 1 && partIndex < openParts)
        {
            return BlockingReloadDecision.Ready;
        }

        // "... or if the _HLS_part exceeds the last Partial Segment in the current Playlist by the Advance Part Limit":
        // 3 / PART-TARGET parts when PART-TARGET is under a second, else 3. How far ahead a part in the segment after
        // the open one lies is not known yet (the open one may close at any part), so that counts the fewest it can be.
        // Counted in double: one more than a part index near 2^63 must not wrap around to a negative count.
        var partsAhead = requestedMsn == lastMsn + 1 ? (double)partIndex - (openParts - 1) : (double)partIndex + 1;
        var advancePartLimit = playlist.PartTarget < 1 ? 3 / playlist.PartTarget : 3;
        return partsAhead > advancePartLimit ? BlockingReloadDecision.BadRequest : BlockingReloadDecision.Wait;
    }

    private static bool TryParseDecimalInteger(string? value, out long result)
    {
        result = 0;
        return value is { Length: > 0 }
            && value.All(char.IsAsciiDigit)
            && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out result);
    }
}
