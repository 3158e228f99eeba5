using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nio.Fuzz.Engine;
using Nio.Ingest.ApiLink;
using Nio.Ingest.Hosting;
using Nio.Ingest.Rtmp;

namespace Nio.Fuzz.Targets;

/// <summary>
/// The Ingest's RTMP connection handler, built by the Ingest's own host, on an in-memory connection: a valid handshake,
/// then the input as what the client sends after it (chunks, control messages, AMF0 commands, media), cut into reads
/// of a size the input's length picks. The stream key <c>fuzz</c> is accepted by a stand-in Api, so publishing and the
/// media path behind it are reached. The handler itself must turn every malformed input into a closed connection:
/// any exception that leaves it is a defect.
/// </summary>
public sealed class RtmpConnectionTarget : FuzzTarget, IDisposable
{
    private static readonly int[] ReadSizes = [int.MaxValue, 1, 2, 7, 64, 128, 1000, 4096];
    private static readonly byte[] Handshake = [3, .. new byte[2 * 1536]];
    private static readonly PipeOptions Unbounded = new(pauseWriterThreshold: 0, readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false);
    private readonly string dataDir = Directory.CreateTempSubdirectory("nio-fuzz-ingest-").FullName;
    private readonly WebApplication ingest;
    private readonly RtmpConnectionHandler handler;
    private int connections;

    public RtmpConnectionTarget()
    {
        ingest = IngestHost.Build([], builder =>
        {
            builder.Logging.ClearProviders();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Api:Url"] = "http://api.fuzz",
                ["Api:Secret"] = "fuzz-secret",
                ["DataDir"] = dataDir,
            });
            builder.Services.AddHttpClient<ApiClient>().ConfigurePrimaryHttpMessageHandler(() => new StandInApi());
        });
        handler = ActivatorUtilities.CreateInstance<RtmpConnectionHandler>(ingest.Services);
    }

    public override string Name => "rtmp-connection";

    public override int MaxInputLength => 32 * 1024;

    public override IReadOnlyList<byte[]> Dictionary { get; } =
    [
        .. Tokens("connect", "createStream", "publish", "releaseStream", "FCPublish", "FCUnpublish", "deleteStream", "closeStream",
            "@setDataFrame", "onMetaData", "app", "live", "fuzz", "fuzz?key=1", "height"),
        [0x02, 0x00, 0x07, .. "connect"u8], [0x02, 0x00, 0x07, .. "publish"u8], [0x02, 0x00, 0x04, .. "fuzz"u8], [0x00, 0x00, 0x09],
        [0x00, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0], [0xFF, 0xFF, 0xFF], [0x02, 0, 0, 0, 0, 0, 4, 1, 0, 0, 0, 0, 0, 0, 0x10, 0],
    ];

    /// <summary>The connection handler logs and ends the connection on everything it expects; nothing may escape it.</summary>
    public override bool IsRejection(Exception exception) => false;

    public override void Run(ReadOnlySpan<byte> input)
    {
        var readSize = ReadSizes[input.Length % ReadSizes.Length];
        var toIngest = new Pipe(Unbounded);
        var fromIngest = new Pipe(Unbounded);
        var connection = new DefaultConnectionContext(
            "fuzz", new DuplexPipe(toIngest.Reader, fromIngest.Writer), new DuplexPipe(fromIngest.Reader, toIngest.Writer))
        {
            // A different address each time: the Ingest stops checking keys for an address whose keys were refused
            // too often, which would keep the fuzzer out of everything behind publish. Nothing is sent to it.
            RemoteEndPoint = new IPEndPoint(new IPAddress([198, 18, (byte)(++connections >> 8), (byte)connections]), 50000),
            LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 1935),
        };

        // Inline schedulers: each write runs the handler until it waits for more bytes, so every read boundary is real.
        var connected = handler.OnConnectedAsync(connection);
        Send(toIngest.Writer, Handshake);
        for (var offset = 0; offset < input.Length && !connected.IsCompleted; offset += readSize)
        {
            Send(toIngest.Writer, input.Slice(offset, Math.Min(readSize, input.Length - offset)));
        }

        toIngest.Writer.Complete();
        connected.GetAwaiter().GetResult();
        fromIngest.Reader.Complete();
    }

    public void Dispose()
    {
        ((IDisposable)ingest).Dispose();
        Directory.Delete(dataDir, recursive: true);
    }

    private static void Send(PipeWriter writer, ReadOnlySpan<byte> bytes)
    {
        writer.Write(bytes);
        writer.FlushAsync().AsTask().GetAwaiter().GetResult();
    }

    private sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;

    /// <summary>The Api's side of <c>/api/ingest</c>: the key <c>fuzz</c> opens a stream, every other key is refused.</summary>
    private sealed class StandInApi : HttpMessageHandler
    {
        private static readonly KeyOwner Owner = new(Guid.Parse("6f1c1b7e-8d2a-4c55-9a57-1f0e3c2b9d40"), Guid.NewGuid(), "fuzz", Record: false);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath.EndsWith("/authorize", StringComparison.Ordinal))
            {
                var body = await request.Content!.ReadFromJsonAsync<Dictionary<string, string>>(cancellationToken);
                return body?.GetValueOrDefault("streamKey") == "fuzz"
                    ? new HttpResponseMessage(HttpStatusCode.OK) { Content = JsonContent.Create(Owner) }
                    : new HttpResponseMessage(HttpStatusCode.Forbidden);
            }

            return new HttpResponseMessage(HttpStatusCode.OK) { Content = JsonContent.Create(new { }) };
        }
    }
}
