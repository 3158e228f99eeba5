namespace Nio.WebRtc.Sdp;

/// <summary>An SDP attribute line, <c>a=name</c> or <c>a=name:value</c> (RFC 8866 §5.13).</summary>
public readonly record struct SdpAttribute(string Name, string Value);

/// <summary>One media description: its <c>m=</c> line and the attributes under it (RFC 8866 §5.14).</summary>
public sealed class MediaDescription(string media, int port, string proto, IReadOnlyList<string> formats)
{
    public string Media { get; } = media;

    public int Port { get; } = port;

    public string Proto { get; } = proto;

    public IReadOnlyList<string> Formats { get; } = formats;

    public List<SdpAttribute> Attributes { get; } = [];

    public string? Attribute(string name) => Find(Attributes, name);

    public IEnumerable<string> AttributeValues(string name) => Attributes.Where(a => a.Name == name).Select(a => a.Value);

    public bool HasAttribute(string name) => Attributes.Any(a => a.Name == name);

    internal static string? Find(List<SdpAttribute> attributes, string name)
    {
        foreach (var attribute in attributes)
        {
            if (attribute.Name == name)
            {
                return attribute.Value;
            }
        }

        return null;
    }
}

/// <summary>
/// The lines of a session description that WebRTC uses: session-level attributes and media descriptions
/// (RFC 8866 §5). Other line types are read and left alone; sizes are bounded before anything is kept.
/// </summary>
public sealed class SessionDescription
{
    /// <summary>A browser's offer is 5–10 KB; a WHIP body beyond this is refused unread.</summary>
    public const int MaxLength = 64 * 1024;

    public const int MaxMediaSections = 16;

    private SessionDescription()
    {
    }

    public List<SdpAttribute> Attributes { get; } = [];

    public List<MediaDescription> Media { get; } = [];

    public string? Attribute(string name) => MediaDescription.Find(Attributes, name);

    /// <summary>Reads a whole session description (<paramref name="fragment"/>: an RFC 8840 SDP fragment, which has no <c>v=</c> line).</summary>
    public static SessionDescription Parse(string text, bool fragment = false)
    {
        if (text.Length > MaxLength)
        {
            throw new SdpException(SdpError.TooLarge, $"The SDP is {text.Length} characters; at most {MaxLength} are read.");
        }

        var description = new SessionDescription();
        var first = true;
        foreach (var rawLine in text.AsSpan().EnumerateLines())
        {
            // "the SDP MUST be terminated by CRLF" yet "parsers SHOULD be tolerant and also accept records terminated
            // with a single newline character" (RFC 8866 §5): EnumerateLines splits at either; blank lines are skipped.
            var line = rawLine.TrimEnd('\r');
            if (line.IsEmpty)
            {
                continue;
            }

            // "An SDP description consists of a number of lines of text of the form: <type>=<value> where <type> MUST
            // be exactly one case-significant character and <value> is structured text" (RFC 8866 §5).
            if (line.Length < 2 || line[1] != '=' || !char.IsAsciiLetterLower(line[0]))
            {
                throw new SdpException(SdpError.Malformed, $"Not an SDP line: '{Excerpt(line)}'.");
            }

            var type = line[0];
            var value = line[2..];
            if (first && !fragment && (type != 'v' || !value.SequenceEqual("0")))
            {
                throw new SdpException(SdpError.Malformed, "An SDP description starts with 'v=0'.");
            }

            first = false;
            switch (type)
            {
                case 'm':
                    if (description.Media.Count == MaxMediaSections)
                    {
                        throw new SdpException(SdpError.TooLarge, $"More than {MaxMediaSections} media sections.");
                    }

                    description.Media.Add(ParseMediaLine(value));
                    break;
                case 'a':
                    var attribute = ParseAttribute(value);
                    (description.Media.Count == 0 ? description.Attributes : description.Media[^1].Attributes).Add(attribute);
                    break;
            }
        }

        if (first && !fragment)
        {
            throw new SdpException(SdpError.Malformed, "The SDP is empty.");
        }

        return description;
    }

    // m=<media> <port>[/<number of ports>] <proto> <fmt> ... (RFC 8866 §5.14)
    private static MediaDescription ParseMediaLine(ReadOnlySpan<char> value)
    {
        var fields = value.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var port = fields.Length >= 3 ? fields[1].Split('/')[0] : "";
        if (fields.Length < 3 || !int.TryParse(port, System.Globalization.NumberStyles.None, null, out var portNumber) || portNumber > 65535)
        {
            throw new SdpException(SdpError.Malformed, $"Not a media line: 'm={Excerpt(value)}'.");
        }

        return new MediaDescription(fields[0], portNumber, fields[2], fields[3..]);
    }

    // attribute = (attribute-name ":" attribute-value) / attribute-name (RFC 8866 §9)
    private static SdpAttribute ParseAttribute(ReadOnlySpan<char> value)
    {
        var colon = value.IndexOf(':');
        var name = colon < 0 ? value : value[..colon];
        if (name.IsEmpty)
        {
            throw new SdpException(SdpError.Malformed, $"Not an attribute: 'a={Excerpt(value)}'.");
        }

        return new SdpAttribute(name.ToString(), colon < 0 ? "" : value[(colon + 1)..].ToString());
    }

    /// <summary>Enough of a bad line to recognise it in a log, never the whole of a hostile body.</summary>
    internal static string Excerpt(ReadOnlySpan<char> line) => line.Length <= 80 ? line.ToString() : $"{line[..80]}…";
}
