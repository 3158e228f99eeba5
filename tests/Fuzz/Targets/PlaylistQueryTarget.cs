using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Nio.Fuzz.Engine;
using Nio.Origin.Live;
using Nio.Shared.LlHls;

namespace Nio.Fuzz.Targets;

/// <summary>
/// A request target as a player sends it to the Origin (<c>/live/{stream}/{rendition}/{file}?query</c>): the media
/// request parse, and the blocking reload decision on the <c>_HLS_msn</c> and <c>_HLS_part</c> query values read the
/// way the Origin reads them, against playlists of several shapes. Besides never throwing, the decision must be
/// consistent: a request further ahead (a larger part or sequence number) is never answered sooner than one behind it
/// (Ready, then Wait, then Bad Request).
/// </summary>
public sealed class PlaylistQueryTarget : FuzzTarget
{
    private static readonly MediaPlaylist[] Playlists =
    [
        Playlist(mediaSequence: 10, segments: 3, partsPerSegment: 4, openParts: 2, partTarget: 0.25),
        Playlist(mediaSequence: 10, segments: 3, partsPerSegment: 4, openParts: 0, partTarget: 0.25),
        Playlist(mediaSequence: 0, segments: 0, partsPerSegment: 0, openParts: 1, partTarget: 0.25),
        Playlist(mediaSequence: 0, segments: 0, partsPerSegment: 0, openParts: 0, partTarget: 0.25),
        Playlist(mediaSequence: 5, segments: 2, partsPerSegment: 2, openParts: 1, partTarget: 1),
        Playlist(mediaSequence: 5, segments: 2, partsPerSegment: 2, openParts: 1, partTarget: 0.25) with { Ended = true },
    ];

    public override string Name => "playlist-query";

    public override int MaxInputLength => 1024;

    public override IReadOnlyList<byte[]> Dictionary { get; } =
        Tokens("_HLS_msn=", "_HLS_part=", "_HLS_skip=YES", "&", "?", "=", "%", "%30", "+", "-", "/live/", "/index.m3u8", "/recording.m3u8",
            "/init.mp4", "-part", ".m4s", "6f1c1b7e-8d2a-4c55-9a57-1f0e3c2b9d40", "12", "13", "14", "4", "9223372036854775807");

    public override void Run(ReadOnlySpan<byte> input)
    {
        var target = Encoding.UTF8.GetString(input);
        var question = target.IndexOf('?');
        // Kestrel hands over a path that starts with '/', and answers 400 itself to one that decodes to a NUL.
        var path = question < 0 ? target : target[..question];
        if (path.Contains("%00", StringComparison.Ordinal))
        {
            return;
        }

        path = path.StartsWith('/') ? path : "/" + path;

        var context = new DefaultHttpContext();
        var request = context.Request;
        request.Method = HttpMethods.Get;
        request.Path = PathString.FromUriComponent(path);
        request.QueryString = QueryString.FromUriComponent(question < 0 ? "" : target[question..]);
        if (MediaRequest.TryParse(request) is { } media)
        {
            _ = media.Path;
            _ = media.PlaylistPath;
            MediaUris.TryParsePart(media.File, out _, out _);
        }

        // As the Origin's playlist handler reads the directives.
        var msn = request.Query["_HLS_msn"].FirstOrDefault();
        var part = request.Query["_HLS_part"].FirstOrDefault();
        foreach (var playlist in Playlists)
        {
            var decision = BlockingReload.Decide(playlist, msn, part);
            CheckOrder(msn, part, decision, Neighbour(part), nearer => BlockingReload.Decide(playlist, msn, nearer));
            CheckOrder(msn, part, decision, Neighbour(msn), nearer => BlockingReload.Decide(playlist, nearer, part));
        }
    }

    public override bool IsRejection(Exception exception) => false;

    /// <summary>The decimal number one below a directive's value, when the value is one and above zero.</summary>
    private static string? Neighbour(string? value) =>
        value is { Length: > 0 } && value.All(char.IsAsciiDigit) && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? (number - 1).ToString(CultureInfo.InvariantCulture)
            : null;

    private static void CheckOrder(string? msn, string? part, BlockingReloadDecision decision, string? nearer, Func<string, BlockingReloadDecision> decideNearer)
    {
        if (nearer is null)
        {
            return;
        }

        var behind = decideNearer(nearer);
        if (Rank(behind) > Rank(decision))
        {
            throw new InvariantViolatedException(
                $"_HLS_msn={msn}&_HLS_part={part} is answered {decision}, but the request one behind it ({nearer}) {behind}");
        }
    }

    private static int Rank(BlockingReloadDecision decision) => decision switch
    {
        BlockingReloadDecision.Ready => 0,
        BlockingReloadDecision.Wait => 1,
        _ => 2,
    };

    private static MediaPlaylist Playlist(long mediaSequence, int segments, int partsPerSegment, int openParts, double partTarget)
    {
        var start = DateTimeOffset.UnixEpoch;
        Part[] Parts(long sequence, int count) =>
            [.. Enumerable.Range(0, count).Select(i => new Part(MediaUris.Part("b", sequence * 10 + i), partTarget, i == 0, 1000))];
        var list = Enumerable.Range(0, segments)
            .Select(i => new Segment(mediaSequence + i, MediaUris.Segment("b", mediaSequence + i), partTarget * partsPerSegment, Parts(mediaSequence + i, partsPerSegment), start, false))
            .ToList();
        var open = openParts > 0 ? new OpenSegment(mediaSequence + segments, Parts(mediaSequence + segments, openParts), start, false) : null;
        return new MediaPlaylist(partTarget, (int)Math.Ceiling(partTarget * partsPerSegment + 1), mediaSequence, 0, list, open,
            MediaUris.Part("b", (mediaSequence + segments) * 10 + openParts), Ended: false);
    }
}
