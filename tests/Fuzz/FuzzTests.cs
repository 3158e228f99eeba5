using Nio.Fuzz.Engine;
using Xunit.Abstractions;

namespace Nio.Fuzz;

/// <summary>
/// A bounded coverage-guided run of each target (see <see cref="FuzzTargets.TestBudgetPerTarget"/>): the corpus
/// first, then mutants. A test fails on the first crash, hang or unbounded allocation, with the input in its message
/// (and saved under the temp folder's <c>nio-fuzz-findings</c>); tests/Fuzz/README.md says how to make it a regression test.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void An_rtmp_connection_ends_only_in_a_logged_protocol_error_whatever_the_peer_sends() => Fuzz("rtmp-connection");

    [Fact]
    public void Amf0_values_are_read_or_refused_as_malformed() => Fuzz("amf0");

    [Fact]
    public void Flv_tags_of_any_content_are_relayed_and_measured_without_failing() => Fuzz("flv-tags");

    [Fact]
    public void Fmp4_from_the_encoder_is_read_or_refused_as_malformed() => Fuzz("fmp4");

    [Fact]
    public void Blocking_playlist_requests_are_decided_consistently_whatever_their_query() => Fuzz("playlist-query");

    [Fact]
    public void A_signed_stripe_event_of_any_shape_is_acted_on_or_ignored() => Fuzz("stripe-webhook");

    [Fact]
    public void Stun_datagrams_are_answered_with_valid_stun_or_dropped_whatever_they_hold() => Fuzz("stun");

    [Fact]
    public void Rtp_and_rtcp_of_any_content_are_unprotected_buffered_and_depacketised_without_failing() => Fuzz("rtp-rtcp");

    [Fact]
    public void Whip_offers_and_trickle_fragments_are_answered_with_valid_sdp_or_refused() => Fuzz("whip-sdp");

    private void Fuzz(string name)
    {
        var target = FuzzTargets.Create(name);
        try
        {
            var seeds = Corpus.Load(Corpus.DirectoryOf(name));
            Assert.NotEmpty(seeds);
            var findingsDir = Path.Combine(Path.GetTempPath(), "nio-fuzz-findings", name);
            var result = new FuzzSession(target, new FuzzOptions
            {
                Duration = FuzzTargets.TestBudgetPerTarget(),
                OnFinding = finding => output.WriteLine($"saved {Corpus.Save(findingsDir, finding.Input, $"{finding.Kind}-")}"),
                Log = new OutputWriter(output),
            }).Run(seeds);
            output.WriteLine($"{name}: {result}");

            // Without instrumentation there is no guidance, only random mutation: that must not pass for fuzzing.
            Assert.True(result.Edges > 0, $"{name}: no edge coverage; the assemblies under test in {AppContext.BaseDirectory} are not instrumented");
            Assert.True(result.Findings.Count == 0, string.Join("\n\n", result.Findings));
        }
        finally
        {
            (target as IDisposable)?.Dispose();
        }
    }

    private sealed class OutputWriter(ITestOutputHelper output) : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void WriteLine(string? value) => output.WriteLine(value ?? "");
    }
}
