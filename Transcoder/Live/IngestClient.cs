using System.Buffers;
using System.IO.Pipelines;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Nio.Shared.Media;

namespace Nio.Transcoder.Live;

/// <summary>
/// Where the Ingest's internal listener is (section <c>Ingest</c>; <c>NIO_INGEST_URL</c>) and the Transcoder's secret
/// for it (<c>NIO_TRANSCODER_TO_INGEST_SECRET</c>).
/// </summary>
public sealed class IngestOptions
{
    public string Url { get; set; } = "http://127.0.0.1:8091";

    public string Secret { get; set; } = "";

    /// <summary>
    /// How long the Ingest may take to answer a request, and how long its list of live streams may stay silent beyond
    /// <see cref="LiveSourceRoutes.ResendInterval"/>; past it the Ingest counts as not answering.
    /// </summary>
    public double RequestTimeoutSeconds { get; set; } = 5;

    public TimeSpan RequestTimeout => TimeSpan.FromSeconds(RequestTimeoutSeconds);
}

/// <summary>
/// The Ingest's internal API as the Transcoder reads it (<see cref="LiveSourceRoutes"/>): the live streams, pushed as
/// they change, and each stream's media.
/// </summary>
public sealed class IngestClient(IHttpClientFactory clients, IOptions<IngestOptions> options)
{
    /// <summary>
    /// The stream's live media in the container its <paramref name="codecs"/> need (FLV, or Matroska for Opus), from
    /// the start of its current group of pictures; it ends when the publisher leaves. Throws
    /// <see cref="HttpRequestException"/> when the stream is not being published (null codecs) or the Ingest does not answer.
    /// </summary>
    public async Task<Stream> OpenMediaAsync(Guid streamId, SourceCodecs? codecs, CancellationToken cancellationToken)
    {
        if (codecs is null)
        {
            throw new HttpRequestException($"stream {streamId} is not live");
        }

        var response = await SendAsync(LiveSourceRoutes.Media(streamId, codecs), cancellationToken);
        try
        {
            response.EnsureSuccessStatusCode();
            // The body's stream owns the connection: disposing it releases all the response holds.
            return await response.Content.ReadAsStreamAsync(cancellationToken);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The live streams, at once and then at every change the Ingest pushes, until the Ingest hangs up. Throws when it
    /// does not answer, says nothing for longer than it promised plus <see cref="IngestOptions.RequestTimeout"/>, or sends
    /// a line that is too long or no list.
    /// </summary>
    public async IAsyncEnumerable<LiveSources> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var silence = LiveSourceRoutes.ResendInterval + options.Value.RequestTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Value.RequestTimeout);
        using var response = await SendAsync(LiveSourceRoutes.Watch, deadline.Token);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(deadline.Token);
        var lines = PipeReader.Create(body);
        try
        {
            while (true)
            {
                deadline.CancelAfter(silence);
                var result = await lines.ReadAsync(deadline.Token);
                var buffer = result.Buffer;
                var position = buffer.PositionOf((byte)'\n');
                if (position is null)
                {
                    if (buffer.Length > LiveSourceRoutes.MaxLineBytes)
                    {
                        throw new InvalidDataException($"the Ingest sent a line of more than {LiveSourceRoutes.MaxLineBytes} bytes");
                    }

                    if (result.IsCompleted)
                    {
                        yield break;
                    }

                    lines.AdvanceTo(buffer.Start, buffer.End);
                    continue;
                }

                var sources = Parse(buffer.Slice(0, position.Value));
                lines.AdvanceTo(buffer.GetPosition(1, position.Value));
                yield return sources;
            }
        }
        finally
        {
            await lines.CompleteAsync();
        }
    }

    private static LiveSources Parse(ReadOnlySequence<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        return JsonSerializer.Deserialize<LiveSources>(ref reader, LiveSourceRoutes.Json) is { Streams: not null } sources
            ? sources
            : throw new InvalidDataException("the Ingest sent no list of live streams");
    }

    private async Task<HttpResponseMessage> SendAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(options.Value.Url.TrimEnd('/') + "/"), path.TrimStart('/')));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Value.Secret);
        return await clients.CreateClient(nameof(IngestClient)).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }
}
