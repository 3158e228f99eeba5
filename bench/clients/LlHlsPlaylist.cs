using System.Globalization;
using System.Text.RegularExpressions;

namespace Nio.Bench.Clients;

/// <summary>Where a part sits: its segment's media sequence number, its index there, its number across the stream, its URI.</summary>
public sealed record LlHlsPart(long SequenceNumber, int Index, long Number, string Uri);

/// <summary>The little of LL-HLS playlists the benchmarks' viewers read.</summary>
public static partial class LlHlsPlaylist
{
    /// <summary>Every EXT-X-PART of a media playlist, in order, with its position.</summary>
    public static IEnumerable<LlHlsPart> Parts(string playlist)
    {
        long sequenceNumber = 0;
        var index = 0;
        foreach (var line in playlist.Split('\n'))
        {
            if (line.StartsWith("#EXT-X-MEDIA-SEQUENCE:", StringComparison.Ordinal))
            {
                sequenceNumber = long.Parse(line["#EXT-X-MEDIA-SEQUENCE:".Length..], CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("#EXT-X-PART:", StringComparison.Ordinal) && PartUri().Match(line) is { Success: true } match)
            {
                yield return new LlHlsPart(sequenceNumber, index++, long.Parse(match.Groups["number"].Value, CultureInfo.InvariantCulture), match.Groups["uri"].Value);
            }
            else if (line.Length > 0 && line[0] != '#')
            {
                // A segment's URI closes that segment.
                (sequenceNumber, index) = (sequenceNumber + 1, 0);
            }
        }
    }

    /// <summary>The renditions a master playlist names (the folder of each media playlist).</summary>
    public static List<string> Renditions(string master) =>
        [.. master.Split('\n').Where(line => line.EndsWith("/index.m3u8", StringComparison.Ordinal)).Select(line => line[..line.IndexOf('/')])];

    /// <summary>A number from a media playlist's header: <c>Number(text, "#EXT-X-PART-INF", "PART-TARGET")</c>, or a tag's own value with no attribute.</summary>
    public static double Number(string playlist, string tag, string? attribute = null)
    {
        var line = playlist.Split('\n').FirstOrDefault(l => l.StartsWith(tag + ":", StringComparison.Ordinal))
            ?? throw new InvalidDataException($"the playlist has no {tag}");
        var value = line[(tag.Length + 1)..];
        if (attribute is not null)
        {
            value = value.Split(',').Select(pair => pair.Split('=', 2)).FirstOrDefault(pair => pair[0] == attribute && pair.Length == 2)?[1]
                ?? throw new InvalidDataException($"{tag} has no {attribute}");
        }

        return double.Parse(value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"URI=""(?<uri>(?:[0-9a-f]+-)?part(?<number>\d+)\.m4s)""")]
    private static partial Regex PartUri();
}
