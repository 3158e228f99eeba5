using Nio.TestSupport;

namespace Nio.WebRtc.Tests.Sdp;

/// <summary>The offer fixtures in Sdp/Fixtures (see the README there for where each comes from).</summary>
internal static class Offers
{
    public static string Chromium => Read("chromium-offer.sdp");

    public static string Obs => Read("obs-offer.sdp");

    public static string GStreamer => Read("gstreamer-offer.sdp");

    private static string Read(string name) =>
        File.ReadAllText(Path.Combine(TestHost.RepositoryRoot(), "tests", "WebRtc.Tests", "Sdp", "Fixtures", name));
}
