using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Options;

namespace Nio.Ingest.Rtmp;

/// <summary>
/// One RTMP connection's life on Kestrel's transport: admission, handshake, then chunks in, messages to the session,
/// replies out. Until its stream key is accepted a connection is anyone's: it has a deadline to get there and only
/// small buffers. Whatever the peer sends, the worst outcome is that this one connection closes with a logged reason.
/// </summary>
public sealed partial class RtmpConnectionHandler(
    RtmpSessionFactory sessions, RtmpAdmission admission, IOptions<RtmpOptions> options, ILogger<RtmpConnectionHandler> logger) : ConnectionHandler
{
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        using var ticket = admission.TryAdmit(connection.RemoteEndPoint, out var refusal);
        if (ticket is null)
        {
            LogRefused(connection.ConnectionId, connection.RemoteEndPoint?.ToString(), refusal);
            return;
        }

        var settings = options.Value;
        var input = connection.Transport.Input;
        var output = connection.Transport.Output;
        var watch = new ConnectionWatch(connection, TimeSpan.FromSeconds(settings.HandshakeTimeoutSeconds), "handshake too slow");
        watch.SetDeadline(TimeSpan.FromSeconds(settings.PublishDeadlineSeconds), $"no stream key accepted within {settings.PublishDeadlineSeconds} s");
        await using var session = sessions.Create(connection, output, ticket);
        using var chunks = new ChunkStreamReader(settings.UnauthenticatedBufferBytes);
        var messages = new List<RtmpMessage>();
        LogConnected(connection.ConnectionId, connection.RemoteEndPoint?.ToString());
        try
        {
            await HandshakeAsync(input, output, connection.ConnectionClosed);
            watch.Expect(TimeSpan.FromSeconds(settings.IdleTimeoutSeconds), "idle");
            var batching = ReceiveBatching.Attach(connection);
            while (!session.Closing)
            {
                var result = await input.ReadAsync(connection.ConnectionClosed);
                watch.Heard();
                // Before the key is accepted, one message at a time: a publish that is accepted lifts the limits before
                // the bytes behind it are read.
                var oneMessage = !session.KeyAccepted;
                var consumed = ReadMessages(result.Buffer, chunks, session, messages, oneMessage);
                var moreInBuffer = oneMessage && messages.Count > 0;
                var position = result.Buffer.GetPosition(consumed);
                input.AdvanceTo(position, moreInBuffer ? position : result.Buffer.End);
                try
                {
                    foreach (var message in messages)
                    {
                        await session.HandleAsync(message, connection.ConnectionClosed);
                    }
                }
                finally
                {
                    ReleaseAll(messages);
                }

                if (session.KeyAccepted && chunks.BufferLimit < ChunkStreamReader.MaxBufferedBytes)
                {
                    chunks.BufferLimit = ChunkStreamReader.MaxBufferedBytes;
                    watch.ClearDeadline();
                }

                session.Acknowledge(consumed);
                batching?.Read(consumed, session.Publishing);
                await output.FlushAsync(connection.ConnectionClosed);
                if (result.IsCompleted && !moreInBuffer)
                {
                    break;
                }
            }

            LogClosed(connection.ConnectionId, session.Closing ? session.CloseReason : "the peer closed the connection");
        }
        catch (RtmpProtocolException exception)
        {
            LogProtocolError(connection.ConnectionId, exception.Error, exception.Message);
        }
        catch (Exception exception) when (exception is OperationCanceledException or ConnectionAbortedException or ConnectionResetException or IOException)
        {
            LogClosed(connection.ConnectionId, watch.AbortReason ?? session.CloseReason ?? "the peer closed the connection");
        }
        finally
        {
            // Messages a protocol error left unhandled.
            ReleaseAll(messages);
        }
    }

    /// <summary>
    /// Closes the connection when the peer stays silent too long, or has no stream key accepted by a deadline. It rides
    /// on Kestrel's once-a-second connection heartbeat, so a busy connection costs one timestamp write per read instead
    /// of a timer reset.
    /// </summary>
    private sealed class ConnectionWatch
    {
        private readonly ConnectionContext connection;
        private long lastHeard = Environment.TickCount64;
        private long limitMilliseconds;
        private string reason;
        private long deadline = long.MaxValue;
        private string deadlineReason = "";

        public ConnectionWatch(ConnectionContext connection, TimeSpan limit, string reason)
        {
            this.connection = connection;
            this.reason = reason;
            limitMilliseconds = (long)limit.TotalMilliseconds;
            connection.Features.Get<IConnectionHeartbeatFeature>()?.OnHeartbeat(static state => ((ConnectionWatch)state).Check(), this);
        }

        public string? AbortReason { get; private set; }

        public void Heard() => Volatile.Write(ref lastHeard, Environment.TickCount64);

        public void Expect(TimeSpan limit, string newReason)
        {
            reason = newReason;
            Volatile.Write(ref limitMilliseconds, (long)limit.TotalMilliseconds);
            Heard();
        }

        public void SetDeadline(TimeSpan after, string newReason)
        {
            deadlineReason = newReason;
            Volatile.Write(ref deadline, Environment.TickCount64 + (long)after.TotalMilliseconds);
        }

        public void ClearDeadline() => Volatile.Write(ref deadline, long.MaxValue);

        private void Check()
        {
            if (AbortReason is not null)
            {
                return;
            }

            var now = Environment.TickCount64;
            var abortReason = now - Volatile.Read(ref lastHeard) > Volatile.Read(ref limitMilliseconds) ? reason
                : now > Volatile.Read(ref deadline) ? deadlineReason
                : null;
            if (abortReason is not null)
            {
                AbortReason = abortReason;
                connection.Abort(new ConnectionAbortedException(abortReason));
            }
        }
    }

    /// <summary>
    /// Parses every complete message in the buffer, or only up to the first that is not a protocol control message;
    /// protocol control messages take effect at once.
    /// </summary>
    private static long ReadMessages(ReadOnlySequence<byte> buffer, ChunkStreamReader chunks, RtmpSession session, List<RtmpMessage> messages, bool oneMessage)
    {
        var reader = new SequenceReader<byte>(buffer);
        while (chunks.TryReadMessage(ref reader, out var message))
        {
            if (MessageType.IsProtocolControl(message.Type))
            {
                try
                {
                    session.HandleProtocolControl(message, chunks);
                }
                finally
                {
                    message.Payload.Release();
                }
            }
            else
            {
                messages.Add(message);
                if (oneMessage)
                {
                    break;
                }
            }
        }

        return reader.Consumed;
    }

    private static void ReleaseAll(List<RtmpMessage> messages)
    {
        foreach (var message in messages)
        {
            message.Payload.Release();
        }

        messages.Clear();
    }

    private static async Task HandshakeAsync(PipeReader input, PipeWriter output, CancellationToken cancellationToken)
    {
        var started = Environment.TickCount64;
        var c0c1 = await ReadExactlyAsync(input, 1 + Handshake.PacketSize, cancellationToken);
        Handshake.CheckC0(c0c1[0]);
        Handshake.WriteS0S1S2(output, c0c1.AsSpan(1), (uint)(Environment.TickCount64 - started));
        await output.FlushAsync(cancellationToken);
        await ReadExactlyAsync(input, Handshake.PacketSize, cancellationToken); // C2: the simple handshake does not check it
    }

    private static async Task<byte[]> ReadExactlyAsync(PipeReader input, int count, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (buffer.Length >= count)
            {
                var bytes = buffer.Slice(0, count).ToArray();
                input.AdvanceTo(buffer.GetPosition(count));
                return bytes;
            }

            if (result.IsCompleted)
            {
                throw new IOException("the peer closed the connection during the handshake");
            }

            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "RTMP {ConnectionId} from {RemoteEndPoint} refused: {Reason}")]
    private partial void LogRefused(string connectionId, string? remoteEndPoint, string? reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "RTMP {ConnectionId} connected from {RemoteEndPoint}")]
    private partial void LogConnected(string connectionId, string? remoteEndPoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "RTMP {ConnectionId} closed: {Reason}")]
    private partial void LogClosed(string connectionId, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RTMP {ConnectionId} closed after a protocol error {Error}: {Detail}")]
    private partial void LogProtocolError(string connectionId, RtmpError error, string detail);

}
