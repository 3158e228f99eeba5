using Nio.Fuzz.Engine;
using Nio.Fuzz.Targets;

namespace Nio.Fuzz;

/// <summary>Every fuzz target by name; each call makes a fresh one (the RTMP target holds a built Ingest host).</summary>
public static class FuzzTargets
{
    private static readonly Dictionary<string, Func<FuzzTarget>> Factories = new(StringComparer.Ordinal)
    {
        ["rtmp-connection"] = () => new RtmpConnectionTarget(),
        ["amf0"] = () => new Amf0Target(),
        ["flv-tags"] = () => new FlvTagTarget(),
        ["fmp4"] = () => new Fmp4Target(),
        ["playlist-query"] = () => new PlaylistQueryTarget(),
        ["stripe-webhook"] = () => new StripeWebhookTarget(),
        ["stun"] = () => new StunTarget(),
        ["rtp-rtcp"] = () => new RtpRtcpTarget(),
        ["whip-sdp"] = () => new WhipSdpTarget(),
    };

    public static IReadOnlyCollection<string> Names => Factories.Keys;

    public static FuzzTarget Create(string name) =>
        Factories.TryGetValue(name, out var factory)
            ? factory()
            : throw new ArgumentException($"no fuzz target '{name}'; there are: {string.Join(", ", Names)}", nameof(name));

    /// <summary>
    /// How long each target is fuzzed in the test run: <c>NIO_FUZZ_SECONDS</c> (default 540, a minute for each of the nine)
    /// shared equally by the targets, so the whole run stays within that budget on the CI machine.
    /// </summary>
    public static TimeSpan TestBudgetPerTarget()
    {
        var total = int.TryParse(Environment.GetEnvironmentVariable("NIO_FUZZ_SECONDS"), out var seconds) && seconds >= 0 ? seconds : 540;
        return TimeSpan.FromSeconds((double)total / Factories.Count);
    }
}
