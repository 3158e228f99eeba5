using System.Buffers.Binary;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using Nio.Ingest.Flv;
using Nio.Ingest.Streams;

namespace Nio.Ingest.Rtmp;

/// <summary>Creates the per-connection session with the services it needs.</summary>
public sealed class RtmpSessionFactory(MediaHub hub, IOptions<RtmpOptions> options, ILogger<RtmpSession> logger)
{
    public RtmpSession Create(ConnectionContext connection, PipeWriter output, RtmpAdmission.Ticket ticket) =>
        new(connection, output, ticket, hub, options.Value, logger);
}

/// <summary>
/// The command conversation of one RTMP connection (RTMP 1.0 §7.2): connect, createStream, publish and the
/// FFmpeg/OBS extras (releaseStream, FCPublish, FCUnpublish), then metadata and media, read from FLV tag bodies, into
/// the publication the <see cref="MediaHub"/> admitted. The stream name is the stream key; nothing is accepted until
/// the hub has admitted it.
/// </summary>
public sealed partial class RtmpSession(
    ConnectionContext connection, PipeWriter output, RtmpAdmission.Ticket ticket, MediaHub hub, RtmpOptions options, ILogger<RtmpSession> logger)
    : IAsyncDisposable
{
    private const uint OurWindowAckSize = 2_500_000;
    private const int OurChunkSize = 4096;

    private readonly ChunkStreamWriter writer = new(output);
    private bool connected;
    private uint nextStreamId = 1;
    private uint peerWindowAckSize;
    private long received;
    private long receivedAtLastAck;
    private Publication? publication;
    private FlvTagReader? media;

    /// <summary>Set when NIO decided to close this connection, with the reason.</summary>
    public bool Closing { get; private set; }

    public string? CloseReason { get; private set; }

    public bool Publishing => publication is not null;

    /// <summary>Whether the Api accepted a stream key on this connection: from then on its peer is a known publisher.</summary>
    public bool KeyAccepted { get; private set; }

    public void HandleProtocolControl(RtmpMessage message, ChunkStreamReader chunks)
    {
        var payload = message.Payload.Span;
        if (payload.Length < 4)
        {
            throw new RtmpProtocolException(RtmpError.MalformedControlMessage, $"control message {message.Type} of {payload.Length} bytes");
        }

        // Set Chunk Size: the first bit must be zero (§5.4.1); the reader bounds the rest.
        var value = BinaryPrimitives.ReadUInt32BigEndian(payload);
        switch (message.Type)
        {
            case MessageType.SetChunkSize:
                chunks.SetChunkSize(value);
                break;
            case MessageType.Abort:
                chunks.Abort(value);
                break;
            case MessageType.WindowAckSize:
                peerWindowAckSize = value;
                break;
        }
    }

    /// <summary>Sends an Acknowledgement (§5.4.3) each time the peer's window of bytes has been received.</summary>
    public void Acknowledge(long bytes)
    {
        received += bytes;
        if (peerWindowAckSize > 0 && received - receivedAtLastAck >= peerWindowAckSize)
        {
            writer.WriteControl(MessageType.Acknowledgement, unchecked((uint)received));
            receivedAtLastAck = received;
        }
    }

    /// <summary>Acts on a command, data or media message; the caller releases the payload afterwards.</summary>
    public async Task HandleAsync(RtmpMessage message, CancellationToken cancellationToken)
    {
        switch (message.Type)
        {
            case MessageType.CommandAmf0:
                await HandleCommandAsync(message, Amf0.ReadAll(message.Payload.Span), cancellationToken);
                break;
            case MessageType.CommandAmf3:
                // AMF3 command messages start with a format byte and then carry AMF0 values.
                await HandleCommandAsync(message, Amf0.ReadAll(message.Payload.Span[Math.Min(1, message.Payload.Length)..]), cancellationToken);
                break;
            case MessageType.DataAmf0:
            case MessageType.DataAmf3:
                HandleData(message);
                break;
            case MessageType.Audio:
            case MessageType.Video:
                media?.Read(message.Type, message.Timestamp, message.Payload);
                break;
        }
    }

    public async ValueTask DisposeAsync() => await EndPublicationAsync();

    private async Task HandleCommandAsync(RtmpMessage message, List<object?> values, CancellationToken cancellationToken)
    {
        if (values is not [string name, double transaction, ..])
        {
            throw new RtmpProtocolException(RtmpError.MalformedCommand, "a command must start with its name and transaction id");
        }

        switch (name)
        {
            case "connect":
                Connect(transaction, values.ElementAtOrDefault(2) as Dictionary<string, object?>);
                break;
            case "createStream":
                writer.WriteCommand(0, "_result", transaction, null, (double)nextStreamId++);
                break;
            case "releaseStream":
            case "FCPublish":
                writer.WriteCommand(0, "_result", transaction, null, Amf0Undefined.Value);
                break;
            case "publish":
                await PublishAsync(message.StreamId, values.ElementAtOrDefault(3) as string, cancellationToken);
                break;
            case "FCUnpublish":
            case "deleteStream":
            case "closeStream":
                await EndPublicationAsync();
                break;
        }
    }

    private void Connect(double transaction, Dictionary<string, object?>? command)
    {
        var app = (command?.GetValueOrDefault("app") as string ?? "").Split('?')[0].Trim('/');
        if (!string.Equals(app, options.Application, StringComparison.Ordinal))
        {
            writer.WriteCommand(0, "_error", transaction, null, Status("error", "NetConnection.Connect.Rejected", $"Unknown application '{app}'; publish to /{options.Application}."));
            Close($"unknown application '{app}'");
            return;
        }

        writer.WriteControl(MessageType.WindowAckSize, OurWindowAckSize);
        writer.WritePeerBandwidth(OurWindowAckSize);
        writer.SetChunkSize(OurChunkSize);
        writer.WriteCommand(0, "_result", transaction,
            new Dictionary<string, object?> { ["fmsVer"] = "FMS/3,0,1,123", ["capabilities"] = 31.0 },
            new Dictionary<string, object?>
            {
                ["level"] = "status", ["code"] = "NetConnection.Connect.Success", ["description"] = "Connection succeeded.", ["objectEncoding"] = 0.0,
            });
        connected = true;
    }

    private async Task PublishAsync(uint streamId, string? name, CancellationToken cancellationToken)
    {
        if (!connected || publication is not null)
        {
            throw new RtmpProtocolException(RtmpError.MalformedCommand, connected ? "publish twice on one connection" : "publish before connect");
        }

        // OBS and FFmpeg send the key as the stream name; anything after '?' is a client's query string.
        var key = (name ?? "").Split('?')[0];
        var admission = await hub.AdmitAsync(key, ticket.Address, reason => Abort(reason), cancellationToken);
        switch (admission.Refusal)
        {
            case AdmissionRefusal.TooManyRefusedKeys:
                writer.WriteCommand(streamId, "onStatus", 0.0, null, Status("error", "NetStream.Publish.Failed", "Too many refused stream keys from this address; try again in a minute."));
                Close($"too many refused stream keys from {ticket.Address}");
                return;
            case AdmissionRefusal.KeyCheckUnavailable:
                writer.WriteCommand(streamId, "onStatus", 0.0, null, Status("error", "NetStream.Publish.Failed", "Stream keys cannot be checked right now; try again."));
                Close("the Api could not check the stream key");
                return;
            case AdmissionRefusal.UnknownKey:
                writer.WriteCommand(streamId, "onStatus", 0.0, null, Status("error", "NetStream.Publish.BadName", "Unknown or revoked stream key."));
                Close("unknown or revoked stream key");
                return;
        }

        KeyAccepted = true;
        publication = admission.Publication!;
        media = new FlvTagReader(publication);
        writer.WriteStreamBegin(streamId);
        writer.WriteCommand(streamId, "onStatus", 0.0, null, Status("status", "NetStream.Publish.Start", "Publishing started."));
        LogPublishing(connection.ConnectionId, publication.Owner.StreamId);
    }

    private void HandleData(RtmpMessage message)
    {
        if (media is null)
        {
            return;
        }

        var payload = message.Payload.Span[(message.Type == MessageType.DataAmf3 ? Math.Min(1, message.Payload.Length) : 0)..];
        var values = Amf0.ReadAll(payload);
        // "@setDataFrame", "onMetaData", {…}: the FLV script tag is what follows the first value.
        if (values is ["@setDataFrame", "onMetaData", ..])
        {
            media.ReadScript(payload[Amf0.LengthOfFirstValue(payload)..]);
        }
        else if (values is ["onMetaData", ..])
        {
            media.ReadScript(payload);
        }
    }

    private async Task EndPublicationAsync()
    {
        if (publication is null)
        {
            return;
        }

        LogUnpublished(connection.ConnectionId, publication.Owner.StreamId);
        var leaving = publication;
        publication = null;
        media = null;
        await leaving.DisposeAsync();
    }

    private void Close(string reason)
    {
        Closing = true;
        CloseReason = reason;
    }

    private void Abort(string reason)
    {
        Close(reason);
        connection.Abort(new ConnectionAbortedException(reason));
    }

    private static Dictionary<string, object?> Status(string level, string code, string description) =>
        new() { ["level"] = level, ["code"] = code, ["description"] = description };

    [LoggerMessage(Level = LogLevel.Information, Message = "RTMP {ConnectionId} publishing stream {StreamId}")]
    private partial void LogPublishing(string connectionId, Guid streamId);

    [LoggerMessage(Level = LogLevel.Information, Message = "RTMP {ConnectionId} stopped publishing stream {StreamId}")]
    private partial void LogUnpublished(string connectionId, Guid streamId);
}
