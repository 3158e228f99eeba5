using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Nio.Origin.Live;
using Nio.Shared.LlHls;
using Nio.TestSupport;

namespace Nio.Origin.Tests;

/// <summary>The Transcoder's playlist pushes: on the internal listener only, the secret checked before the body is read, the body capped.</summary>
public sealed class InternalRoutesTests : IAsyncLifetime
{
    private OriginUnderTest origin = null!;
    private RenditionPublisher publisher = null!;

    public async Task InitializeAsync()
    {
        origin = await OriginUnderTest.StartAsync();
        publisher = new RenditionPublisher(origin, Guid.NewGuid());
    }

    public async Task DisposeAsync() => await origin.DisposeAsync();

    [Fact]
    public async Task Playlist_pushes_are_not_taken_on_the_public_port_even_with_the_secret()
    {
        await publisher.AppendPartAsync(independent: true, bytes: [1]);
        var update = new PlaylistUpdate(publisher.PlaylistPath, publisher.Playlist, "#EXTM3U\n#EXT-X-ENDLIST\n");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/internal/playlists")
        {
            Content = JsonContent.Create(update),
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", OriginUnderTest.Secret) },
        };

        Assert.Equal(HttpStatusCode.NotFound, (await origin.Http.SendAsync(request)).StatusCode);
        Assert.DoesNotContain("#EXT-X-ENDLIST", await origin.Http.GetStringAsync($"/{publisher.PlaylistPath}"));
    }

    [Fact]
    public async Task A_push_without_the_secret_is_refused_before_its_body_arrives()
    {
        // A body the Origin would wait for, were it to read the body first: the refusal must come without it.
        var status = await RawHttp.PostWithoutBodyAsync(origin.InternalPort, "/internal/playlists", "not-the-secret", 500_000, TimeSpan.FromSeconds(10));

        Assert.Equal(401, status);
    }

    [Fact]
    public async Task A_push_larger_than_the_cap_is_refused_by_the_bytes_read()
    {
        var status = await RawHttp.PostChunkedAsync(origin.InternalPort, "/internal/playlists", OriginUnderTest.Secret, (int)OriginApi.MaxUpdateBytes * 2);

        Assert.Equal(413, status);
    }
}
