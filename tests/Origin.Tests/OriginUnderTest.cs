using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Nio.Origin.Hosting;
using Nio.Shared.LlHls;
using Nio.Shared.Storage;
using Nio.TestSupport;

namespace Nio.Origin.Tests;

/// <summary>The real Origin on a loopback port, over a real disk store whose reads are counted.</summary>
internal sealed class OriginUnderTest : IAsyncDisposable
{
    public const string Secret = "internal-test-secret";

    private readonly WebApplication host;

    private OriginUnderTest(WebApplication host, string root, CountingMediaStore store, int port, int internalPort)
    {
        this.host = host;
        Root = root;
        Store = store;
        Port = port;
        InternalPort = internalPort;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        Internal = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{internalPort}") };
    }

    /// <summary>The data folder; the store's files are under <c>media/</c>.</summary>
    public string Root { get; }

    public CountingMediaStore Store { get; }

    public int Port { get; }

    /// <summary>The listener of the Transcoder's playlist pushes.</summary>
    public int InternalPort { get; }

    /// <summary>A client of the public listener, as players reach it.</summary>
    public HttpClient Http { get; }

    /// <summary>A client of the internal listener, without a secret.</summary>
    public HttpClient Internal { get; }

    public IServiceProvider Services => host.Services;

    /// <param name="settings">Configuration on top of the port, the secret and the data folder.</param>
    public static async Task<OriginUnderTest> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var root = Directory.CreateTempSubdirectory("nio-origin-").FullName;
        var store = new CountingMediaStore(new LocalDiskMediaStore(Path.Combine(root, "media")));
        var port = TestHost.FreePort();
        var internalPort = TestHost.FreePort();
        var host = OriginHost.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Http:Port"] = port.ToString(CultureInfo.InvariantCulture),
                ["Http:InternalPort"] = internalPort.ToString(CultureInfo.InvariantCulture),
                ["Transcoder:Secret"] = Secret,
                ["DataDir"] = root,
            });
            builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
            builder.Services.AddSingleton<IMediaStore>(store);
        });
        await host.StartAsync();
        return new OriginUnderTest(host, root, store, port, internalPort);
    }

    /// <summary>What the Transcoder does for each playlist change: store the playlist, then push it.</summary>
    public async Task AnnounceAsync(string playlistPath, MediaPlaylist playlist)
    {
        var text = MediaPlaylistWriter.Write(playlist, []);
        await Store.WriteAsync(playlistPath, Encoding.UTF8.GetBytes(text), "application/vnd.apple.mpegurl", default);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/internal/playlists")
        {
            Content = JsonContent.Create(new PlaylistUpdate(playlistPath, playlist, text)),
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", Secret) },
        };
        (await Internal.SendAsync(request)).EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        await host.DisposeAsync();
        Http.Dispose();
        Internal.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}

/// <summary>One rendition of a live stream, published as the Transcoder does it: each part stored, then the playlist stored and pushed.</summary>
internal sealed class RenditionPublisher(OriginUnderTest origin, Guid streamId, string rendition = "240p", string broadcast = "")
{
    private const long PartDuration = 200;

    private readonly Segmenter segmenter = new(new SegmenterOptions { Broadcast = broadcast }, timescale: 1000, DateTimeOffset.UnixEpoch);
    private long time;

    public string Folder => $"live/{streamId}/{rendition}";

    public string PlaylistPath => $"{Folder}/{MediaUris.Playlist}";

    public MediaPlaylist Playlist => segmenter.Playlist;

    /// <summary>Every media file stored so far (parts and segments), as retention would be told of them.</summary>
    public List<string> Media { get; } = [];

    /// <summary>Appends one part (200 ms) and announces the playlist; returns the part's name.</summary>
    public async Task<string> AppendPartAsync(bool independent, byte[] bytes)
    {
        var update = segmenter.Append(time, PartDuration, independent, bytes);
        time += PartDuration;
        if (update.CompletedSegment is { } segment)
        {
            await StoreMediaAsync(segment.Segment.Uri, [.. segment.Parts.SelectMany(part => part.ToArray())]);
        }

        var part = update.CompletedPart!.Part.Uri;
        await StoreMediaAsync(part, bytes);
        await origin.AnnounceAsync(PlaylistPath, update.Playlist);
        return part;
    }

    public Task AnnounceAsync(MediaPlaylist playlist) => origin.AnnounceAsync(PlaylistPath, playlist);

    /// <summary>The broadcast ends: the playlist gets its ENDLIST.</summary>
    public Task EndAsync() => origin.AnnounceAsync(PlaylistPath, segmenter.End().Playlist);

    private async Task StoreMediaAsync(string name, byte[] bytes)
    {
        await origin.Store.WriteAsync($"{Folder}/{name}", bytes, "video/mp4", default);
        Media.Add($"{Folder}/{name}");
    }
}

/// <summary>A real store whose reads are counted per path: instrumentation, every call goes through.</summary>
internal sealed class CountingMediaStore(IMediaStore store) : IMediaStore
{
    private readonly ConcurrentDictionary<string, int> reads = new(StringComparer.Ordinal);

    public int ReadsOf(string path) => reads.GetValueOrDefault(path);

    public Task WriteAsync(string path, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken) =>
        store.WriteAsync(path, content, contentType, cancellationToken);

    public Task<byte[]?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        reads.AddOrUpdate(path, 1, (_, count) => count + 1);
        return store.ReadAsync(path, cancellationToken);
    }

    public Task DeleteAsync(string path, CancellationToken cancellationToken) => store.DeleteAsync(path, cancellationToken);
}
