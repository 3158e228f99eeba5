using System.Net;
using Nio.TestSupport;

namespace Nio.Api.Tests.Hosting;

/// <summary>The Api serving a built web app: files, deep links answered with the page, Api routes untouched.</summary>
public sealed class WebAppTests(WebAppTests.WebAppApiFactory api) : IClassFixture<WebAppTests.WebAppApiFactory>
{
    public sealed class WebAppApiFactory : ApiFactory
    {
        public string Root { get; } = Directory.CreateTempSubdirectory("nio-web-").FullName;

        public WebAppApiFactory()
        {
            File.WriteAllText(Path.Combine(Root, "index.html"),
                $"<!doctype html><title>NIO</title><script type=module src=/assets/index-abc123.js></script><script>{InlineScript}</script><div id=root></div>");
            Directory.CreateDirectory(Path.Combine(Root, "assets"));
            File.WriteAllText(Path.Combine(Root, "assets", "index-abc123.js"), "console.log('nio')");
            File.WriteAllBytes(Path.Combine(Root, "assets", "big-def456.js.br"), Compress(BigScript, "br"));
            File.WriteAllBytes(Path.Combine(Root, "assets", "big-def456.js.gz"), Compress(BigScript, "gzip"));
            File.WriteAllText(Path.Combine(Root, "assets", "big-def456.js"), BigScript);
        }

        public const string InlineScript = "window.early=fetch('/api/streams')";

        public static string BigScript { get; } = string.Concat(Enumerable.Repeat("console.log('a fairly long line of the app');\n", 200));

        private static byte[] Compress(string text, string encoding)
        {
            using var output = new MemoryStream();
            using (Stream compressor = encoding == "br"
                ? new System.IO.Compression.BrotliStream(output, System.IO.Compression.CompressionLevel.Optimal)
                : new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Optimal))
            {
                compressor.Write(System.Text.Encoding.UTF8.GetBytes(text));
            }

            return output.ToArray();
        }

        protected override Dictionary<string, string?> Settings => new(base.Settings) { ["Web:Root"] = Root };
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/watch/4f0c7b4e-3f7a-4a51-9b59-4a0e6ad1c7c2")]
    [InlineData("/some/page/the/app/knows")]
    public async Task Pages_answer_the_app_and_are_revalidated(string path)
    {
        var response = await api.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<div id=root>", await response.Content.ReadAsStringAsync());
        Assert.True(response.Headers.CacheControl?.NoCache);
    }

    [Fact]
    public async Task A_watch_link_names_its_stream_s_playlist_as_a_preload_and_other_pages_do_not()
    {
        var client = api.CreateClient();

        var watch = await client.GetAsync("/watch/4f0c7b4e-3f7a-4a51-9b59-4a0e6ad1c7c2");

        // The player's request for the playlist (cross-origin, without credentials) is answered from this preload.
        Assert.Equal(
            "<http://localhost:8080/live/4f0c7b4e-3f7a-4a51-9b59-4a0e6ad1c7c2/master.m3u8>; rel=preload; as=fetch; crossorigin=anonymous",
            Assert.Single(watch.Headers.GetValues("Link")));
        foreach (var path in new[] { "/", "/watch/not-a-stream", "/watch/4f0c7b4e-3f7a-4a51-9b59-4a0e6ad1c7c2/more", "/studio" })
        {
            Assert.False((await client.GetAsync(path)).Headers.Contains("Link"), path);
        }
    }

    [Theory]
    [InlineData("br, gzip", "br")]
    [InlineData("gzip, deflate", "gzip")]
    [InlineData("", null)]
    public async Task Precompressed_files_go_to_browsers_that_accept_them_with_the_original_type(string acceptEncoding, string? expected)
    {
        // The test server's client does not decompress: the bytes are what went over the wire.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/assets/big-def456.js");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        var response = await api.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(expected is null ? [] : [expected], response.Content.Headers.ContentEncoding);
        Assert.Contains("immutable", response.Headers.CacheControl?.ToString());
        var body = await response.Content.ReadAsByteArrayAsync();
        Stream decoded = expected switch
        {
            "br" => new System.IO.Compression.BrotliStream(new MemoryStream(body), System.IO.Compression.CompressionMode.Decompress),
            "gzip" => new System.IO.Compression.GZipStream(new MemoryStream(body), System.IO.Compression.CompressionMode.Decompress),
            _ => new MemoryStream(body),
        };
        Assert.Equal(WebAppApiFactory.BigScript, await new StreamReader(decoded).ReadToEndAsync());
        if (expected is not null)
        {
            Assert.True(body.Length < WebAppApiFactory.BigScript.Length / 4);
            Assert.Contains("Accept-Encoding", response.Headers.Vary);
        }
    }

    [Fact]
    public async Task Hashed_assets_are_immutable_and_missing_files_are_404()
    {
        var client = api.CreateClient();

        var asset = await client.GetAsync("/assets/index-abc123.js");
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Equal("text/javascript", asset.Content.Headers.ContentType?.MediaType);
        Assert.Contains("immutable", asset.Headers.CacheControl?.ToString());

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/assets/missing-000.js")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/assets/..%2F..%2Fappsettings.json")).StatusCode);
    }

    [Fact]
    public async Task Api_routes_keep_their_answers()
    {
        var client = api.CreateClient();

        await (await client.GetAsync("/api/no-such-route")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("application/json", (await client.GetAsync("/api/streams")).Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Contains("swagger", await client.GetStringAsync("/docs/index.html"), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/watch/4f0c7b4e-3f7a-4a51-9b59-4a0e6ad1c7c2")]
    [InlineData("/assets/index-abc123.js")]
    public async Task Pages_and_files_carry_a_policy_that_allows_only_the_page_s_own_inline_script(string path)
    {
        var response = await api.CreateClient().GetAsync(path);

        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        var directives = policy.Split(';', StringSplitOptions.TrimEntries).ToDictionary(d => d.Split(' ')[0], d => d.Split(' ')[1..]);
        var inlineHash = $"'sha256-{Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(WebAppApiFactory.InlineScript)))}'";
        Assert.Equal(["'self'", inlineHash, "https://js.stripe.com", "https://*.js.stripe.com"], directives["script-src"]);
        Assert.DoesNotContain("'unsafe-eval'", policy);
        Assert.Equal(["'none'"], directives["frame-ancestors"]);
        Assert.Equal(["'none'"], directives["object-src"]);
        // The Origin (NIO_PLAYBACK_URL, host filled from the request) is where media and playlists come from.
        Assert.Contains("http://localhost:8080", directives["media-src"]);
        Assert.Contains("http://localhost:8080", directives["connect-src"]);
        // The studio publishes from the browser to the Ingest's WHIP endpoint (NIO_WHIP_URL).
        Assert.Contains("http://localhost:8081", directives["connect-src"]);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("strict-origin-when-cross-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
    }
}
