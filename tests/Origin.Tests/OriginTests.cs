using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Nio.Origin.Hosting;
using Nio.Shared.LlHls;
using Nio.TestSupport;

namespace Nio.Origin.Tests;

/// <summary>The real Origin on a loopback port, over a real disk store, fed playlist updates as the Transcoder sends them.</summary>
public sealed class OriginTests : IAsyncLifetime
{
    private readonly Guid streamId = Guid.NewGuid();
    private OriginUnderTest origin = null!;
    private RenditionPublisher publisher = null!;

    private string PlaylistPath => publisher.PlaylistPath;

    public async Task InitializeAsync()
    {
        origin = await OriginUnderTest.StartAsync();
        publisher = new RenditionPublisher(origin, streamId);
    }

    public async Task DisposeAsync() => await origin.DisposeAsync();

    [Fact]
    public async Task Parts_are_served_immutable_with_cors_etag_and_ranges()
    {
        await publisher.AppendPartAsync(independent: true, bytes: [1, 2, 3, 4, 5, 6, 7, 8]);

        var response = await origin.Http.GetAsync($"/live/{streamId}/240p/part0.m4s");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("immutable", response.Headers.CacheControl!.ToString());
        Assert.Equal("video/mp4", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(8, response.Content.Headers.ContentLength);
        Assert.Equal("bytes", response.Headers.AcceptRanges.Single());
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], await response.Content.ReadAsByteArrayAsync());
        var etag = response.Headers.ETag!;

        var range = new HttpRequestMessage(HttpMethod.Get, $"/live/{streamId}/240p/part0.m4s") { Headers = { Range = new RangeHeaderValue(2, 4) } };
        var partial = await origin.Http.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal([3, 4, 5], await partial.Content.ReadAsByteArrayAsync());

        var revalidate = new HttpRequestMessage(HttpMethod.Get, $"/live/{streamId}/240p/part0.m4s") { Headers = { IfNoneMatch = { etag } } };
        Assert.Equal(HttpStatusCode.NotModified, (await origin.Http.SendAsync(revalidate)).StatusCode);
    }

    [Theory]
    [InlineData("/live/{id}/240p/%2e%2e%2f%2e%2e%2fsecret")]
    [InlineData("/live/{id}/..%2F..%2F..%2Fsecret")]
    [InlineData("/live/{id}/240p/..")]
    [InlineData("/live/not-a-guid/240p/part0.m4s")]
    [InlineData("/live/{id}/240p/missing.m4s")]
    [InlineData("/live/{other}/master.m3u8")]
    public async Task Unknown_streams_files_and_traversal_attempts_are_404(string path)
    {
        await File.WriteAllTextAsync(Path.Combine(origin.Root, "secret"), "never served");
        var response = await origin.Http.GetAsync(path.Replace("{id}", streamId.ToString()).Replace("{other}", Guid.NewGuid().ToString()));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("never served", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_blocking_request_waits_for_its_part_and_every_waiter_wakes_on_one_update()
    {
        await publisher.AppendPartAsync(independent: true, bytes: [1]);
        var waiting = Enumerable.Range(0, 100).Select(_ => origin.Http.GetStringAsync($"/live/{streamId}/240p/index.m3u8?_HLS_msn=0&_HLS_part=1")).ToList();
        await Task.Delay(300);
        Assert.All(waiting, request => Assert.False(request.IsCompleted));

        await publisher.AppendPartAsync(independent: false, bytes: [2]);

        var answers = await Task.WhenAll(waiting);
        Assert.All(answers, text => Assert.Contains("part1.m4s", text));
    }

    [Fact]
    public async Task A_preload_hinted_part_is_answered_as_soon_as_it_exists()
    {
        await publisher.AppendPartAsync(independent: true, bytes: [1]);
        var hinted = origin.Http.GetAsync($"/live/{streamId}/240p/part1.m4s");
        await Task.Delay(100);
        Assert.False(hinted.IsCompleted);

        await publisher.AppendPartAsync(independent: false, bytes: [7, 7]);

        var response = await hinted;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([7, 7], await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("_HLS_part=1")]
    [InlineData("_HLS_msn=9")]
    [InlineData("_HLS_msn=abc")]
    public async Task Malformed_or_too_far_ahead_directives_are_400(string query)
    {
        await publisher.AppendPartAsync(independent: true, bytes: [1]);
        var response = await origin.Http.GetAsync($"/live/{streamId}/240p/index.m3u8?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_part_that_never_comes_is_503_after_three_target_durations()
    {
        await publisher.AppendPartAsync(independent: true, bytes: [1]);
        var response = await origin.Http.GetAsync($"/live/{streamId}/240p/index.m3u8?_HLS_msn=0&_HLS_part=2");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Theory]
    [InlineData("recording.m3u8")]
    [InlineData("240p/recording.m3u8")]
    public async Task A_recording_is_served_as_a_playlist(string path)
    {
        await origin.Store.WriteAsync($"live/{streamId}/{path}", "#EXTM3U\n"u8.ToArray(), "application/vnd.apple.mpegurl", default);

        var response = await origin.Http.GetAsync($"/live/{streamId}/{path}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.apple.mpegurl", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task The_thumbnail_is_served_as_a_jpeg_cached_a_few_seconds()
    {
        await publisher.AppendPartAsync(independent: true, bytes: [1]);
        Assert.Equal(HttpStatusCode.NotFound, (await origin.Http.GetAsync($"/live/{streamId}/thumbnail.jpg")).StatusCode);
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xD9];
        // Made while the stream is live: the stream's next playlist update follows it.
        await origin.Store.WriteAsync($"live/{streamId}/thumbnail.jpg", jpeg, "image/jpeg", default);
        await publisher.AppendPartAsync(independent: false, bytes: [2]);

        var response = await origin.Http.GetAsync($"/live/{streamId}/thumbnail.jpg");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.CacheControl!.MaxAge);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal(jpeg, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task An_update_older_than_the_one_held_is_ignored_unless_it_is_of_another_broadcast()
    {
        await publisher.AppendPartAsync(independent: true, bytes: [1]);
        var first = publisher.Playlist;
        await publisher.AppendPartAsync(independent: false, bytes: [2]);

        // A copy of the first update that arrives late (the Transcoder gave up waiting for its answer and went on).
        await publisher.AnnounceAsync(first);
        // The newer playlist's preload hint (the older one hints at part1).
        Assert.Contains("URI=\"part2.m4s\"", await origin.Http.GetStringAsync($"/live/{streamId}/240p/index.m3u8"));

        var beforeEnd = publisher.Playlist;
        await publisher.EndAsync();
        await publisher.AnnounceAsync(beforeEnd);
        Assert.EndsWith("#EXT-X-ENDLIST\n", await origin.Http.GetStringAsync($"/live/{streamId}/240p/index.m3u8"));

        // The publisher comes back later: a new broadcast starts from its own first part.
        await new RenditionPublisher(origin, streamId, broadcast: "b2").AppendPartAsync(independent: true, bytes: [3]);
        var text = await origin.Http.GetStringAsync($"/live/{streamId}/240p/index.m3u8");
        Assert.Contains("b2-part0.m4s", text);
        Assert.DoesNotContain("#EXT-X-ENDLIST", text);
    }

    [Fact]
    public async Task Playlist_updates_need_the_internal_secret()
    {
        var update = new PlaylistUpdate(PlaylistPath, publisher.Playlist, "#EXTM3U\n");
        var response = await origin.Internal.PostAsJsonAsync("/internal/playlists", update);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    /// <summary>What the Transcoder does for each part: store it, store the playlist, tell the Origin.</summary>
    [Fact]
    public async Task A_media_store_that_does_not_answer_gives_503_with_retry_after()
    {
        // S3 on a port where nothing listens: every read fails after the store's own retries.
        var port = TestHost.FreePort();
        await using var unreachable = OriginHost.Build([], builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Http:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Http:InternalPort"] = TestHost.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DataDir"] = origin.Root,
            ["Storage:Backend"] = "s3",
            ["Storage:S3:Endpoint"] = $"127.0.0.1:{TestHost.FreePort()}",
            ["Storage:S3:AccessKey"] = "nobody",
            ["Storage:S3:SecretKey"] = "nothing",
        }));
        await unreachable.StartAsync();

        var response = await origin.Http.GetAsync($"http://127.0.0.1:{port}/live/{streamId}/240p/init.mp4");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter!.Delta);
    }

    [Fact]
    public async Task Pipelined_requests_on_one_connection_get_whole_bodies_in_order()
    {
        // Segments go to the socket from their in-memory copies; the playlist and the 404 through Kestrel's own writes.
        await publisher.AppendPartAsync(independent: true, bytes: [1]);
        var large = RandomNumberGenerator.GetBytes(700_000);
        var small = RandomNumberGenerator.GetBytes(3_000);
        await origin.Store.WriteAsync($"live/{streamId}/240p/b1-seg0.m4s", large, "video/mp4", default);
        await origin.Store.WriteAsync($"live/{streamId}/240p/b1-seg1.m4s", small, "video/mp4", default);
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, origin.Port);
        var connection = client.GetStream();

        string[] files = ["b1-seg0.m4s", "b1-seg1.m4s", "index.m3u8", "missing.m4s", "b1-seg0.m4s", "b1-seg1.m4s"];
        await connection.WriteAsync(Encoding.ASCII.GetBytes(string.Concat(files.Select(file => $"GET /live/{streamId}/240p/{file} HTTP/1.1\r\nHost: origin\r\n\r\n"))));

        var reader = new RawHttpReader(connection);
        AssertOk(large, await reader.ReadAsync());
        AssertOk(small, await reader.ReadAsync());
        var (status, playlist) = await reader.ReadAsync();
        Assert.Equal(200, status);
        Assert.Contains("part0.m4s", Encoding.UTF8.GetString(playlist));
        Assert.Equal(404, (await reader.ReadAsync()).Status);
        AssertOk(large, await reader.ReadAsync());
        AssertOk(small, await reader.ReadAsync());
    }

    [Fact]
    public async Task A_client_that_reads_slowly_gets_every_byte_and_then_its_next_answer()
    {
        // Far more than the socket takes at once from a reader with a small window: the rest waits for room.
        var large = RandomNumberGenerator.GetBytes(4_000_000);
        var small = RandomNumberGenerator.GetBytes(1_000);
        await origin.Store.WriteAsync($"live/{streamId}/240p/b1-seg0.m4s", large, "video/mp4", default);
        await origin.Store.WriteAsync($"live/{streamId}/240p/b1-seg1.m4s", small, "video/mp4", default);
        using var client = new TcpClient { ReceiveBufferSize = 8 * 1024 };
        await client.ConnectAsync(IPAddress.Loopback, origin.Port);
        var connection = client.GetStream();
        await connection.WriteAsync(Encoding.ASCII.GetBytes(
            $"GET /live/{streamId}/240p/b1-seg0.m4s HTTP/1.1\r\nHost: origin\r\n\r\nGET /live/{streamId}/240p/b1-seg1.m4s HTTP/1.1\r\nHost: origin\r\n\r\n"));
        await Task.Delay(500);

        var reader = new RawHttpReader(connection);
        AssertOk(large, await reader.ReadAsync());
        AssertOk(small, await reader.ReadAsync());
    }

    [Fact]
    public async Task A_client_that_leaves_in_the_middle_of_a_body_leaves_the_others_served()
    {
        var large = RandomNumberGenerator.GetBytes(4_000_000);
        await origin.Store.WriteAsync($"live/{streamId}/240p/b1-seg0.m4s", large, "video/mp4", default);
        for (var i = 0; i < 5; i++)
        {
            using var leaving = new TcpClient { ReceiveBufferSize = 8 * 1024, LingerState = new LingerOption(true, 0) };
            await leaving.ConnectAsync(IPAddress.Loopback, origin.Port);
            await leaving.GetStream().WriteAsync(Encoding.ASCII.GetBytes($"GET /live/{streamId}/240p/b1-seg0.m4s HTTP/1.1\r\nHost: origin\r\n\r\n"));
            await leaving.GetStream().ReadExactlyAsync(new byte[64 * 1024]);
        }

        Assert.Equal(large, await origin.Http.GetByteArrayAsync($"/live/{streamId}/240p/b1-seg0.m4s"));
    }

    private static void AssertOk(byte[] expected, (int Status, byte[] Body) response)
    {
        Assert.Equal(200, response.Status);
        Assert.Equal(expected.Length, response.Body.Length);
        Assert.True(expected.AsSpan().SequenceEqual(response.Body), "The body differs from the stored file.");
    }
}
