using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Options;

namespace Nio.Ingest.Rtmp;

/// <summary>
/// One RTMP connection's life on Kestrel's transport: handshake, then chunks in, messages to the session, replies out.
/// Whatever the peer sends, the worst outcome is that this one connection closes with a logged reason.
/// </summary>
public sealed partial class RtmpConnectionHandler(
    RtmpSessionFactory sessions, IOptions<RtmpOptions> options, ILogger<RtmpConnectionHandler> logger) : ConnectionHandler
{
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        var output = connection.Transport.Output;
        var silence = new SilenceWatch(connection, TimeSpan.FromSeconds(options.Value.HandshakeTimeoutSeconds), "handshake too slow");
        await using var session = sessions.Create(connection, output);
        LogConnected(connection.ConnectionId, connection.RemoteEndPoint?.ToString());
        try
        {
            await HandshakeAsync(input, output, connection.ConnectionClosed);
            silence.Expect(TimeSpan.FromSeconds(options.Value.IdleTimeoutSeconds), "idle");
            var batching = ReceiveBatching.Attach(connection);

            using var chunks = new ChunkStreamReader();
            var messages = new List<RtmpMessage>();
            while (!session.Closing)
            {
                var result = await input.ReadAsync(connection.ConnectionClosed);
                silence.Heard();
                var consumed = ReadMessages(result.Buffer, chunks, session, messages);
                input.AdvanceTo(result.Buffer.GetPosition(consumed), result.Buffer.End);
                foreach (var message in messages)
                {
                    try
                    {
                        await session.HandleAsync(message, connection.ConnectionClosed);
                    }
                    finally
                    {
                        message.Payload.Release();
                    }
                }

                messages.Clear();
                session.Acknowledge(consumed);
                batching?.Read(consumed, session.Publishing);
                await output.FlushAsync(connection.ConnectionClosed);
                if (result.IsCompleted)
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
            LogClosed(connection.ConnectionId, silence.AbortReason ?? session.CloseReason ?? "the peer closed the connection");
        }
    }

    /// <summary>
    /// Closes the connection when the peer stays silent too long. It rides on Kestrel's once-a-second connection
    /// heartbeat, so a busy connection costs one timestamp write per read instead of a timer reset.
    /// </summary>
    private sealed class SilenceWatch
    {
        private readonly ConnectionContext connection;
        private long lastHeard = Environment.TickCount64;
        private long limitMilliseconds;
        private string reason;

        public SilenceWatch(ConnectionContext connection, TimeSpan limit, string reason)
        {
            this.connection = connection;
            this.reason = reason;
            limitMilliseconds = (long)limit.TotalMilliseconds;
            connection.Features.Get<IConnectionHeartbeatFeature>()?.OnHeartbeat(static state => ((SilenceWatch)state).Check(), this);
        }

        public string? AbortReason { get; private set; }

        public void Heard() => Volatile.Write(ref lastHeard, Environment.TickCount64);

        public void Expect(TimeSpan limit, string newReason)
        {
            reason = newReason;
            Volatile.Write(ref limitMilliseconds, (long)limit.TotalMilliseconds);
            Heard();
        }

        private void Check()
        {
            if (AbortReason is null && Environment.TickCount64 - Volatile.Read(ref lastHeard) > Volatile.Read(ref limitMilliseconds))
            {
                AbortReason = reason;
                connection.Abort(new ConnectionAbortedException(reason));
            }
        }
    }

    /// <summary>Parses every complete message in the buffer; protocol control messages take effect at once.</summary>
    private static long ReadMessages(ReadOnlySequence<byte> buffer, ChunkStreamReader chunks, RtmpSession session, List<RtmpMessage> messages)
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
            }
        }

        return reader.Consumed;
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

    [LoggerMessage(Level = LogLevel.Debug, Message = "RTMP {ConnectionId} connected from {RemoteEndPoint}")]
    private partial void LogConnected(string connectionId, string? remoteEndPoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "RTMP {ConnectionId} closed: {Reason}")]
    private partial void LogClosed(string connectionId, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RTMP {ConnectionId} closed after a protocol error {Error}: {Detail}")]
    private partial void LogProtocolError(string connectionId, RtmpError error, string detail);

}
