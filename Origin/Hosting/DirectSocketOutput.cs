using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Nio.Origin.Hosting;

/// <summary>Sends a response body straight to the client's socket, from a <see cref="MemoryFile"/> where there is one.</summary>
public interface IFileBodyFeature
{
    /// <summary>
    /// Sends the bytes of <paramref name="file"/> (by <c>sendfile</c>) or else <paramref name="bytes"/> as the body of an
    /// HTTP/1.x response whose headers are written (not necessarily flushed) and whose Content-Length is their length.
    /// The caller holds a lease on the file, and then advances the response's body writer by that length without
    /// writing into it: Kestrel keeps its account of the body and those bytes are dropped. When the connection fails,
    /// it is aborted.
    /// </summary>
    /// <param name="minimumRate">Kestrel's minimum response data rate, which bounds a client that stops reading.</param>
    ValueTask SendAsync(MemoryFile? file, byte[]? bytes, MinDataRate? minimumRate, CancellationToken aborted);
}

/// <summary>
/// A connection's output written to its socket by the connection itself, in place of the transport's pipe and send
/// loop, so that a body can go to the socket by <c>sendfile</c> between what Kestrel writes before and after it: the
/// body is then never copied, neither into Kestrel's pipe nor into the socket's buffers. Kestrel serialises a
/// connection's writes and flushes (it never writes to its transport while a flush is pending), so a flush here is
/// one send, awaited.
/// </summary>
public sealed partial class DirectSocketOutput : PipeWriter, IFileBodyFeature
{
    private const int SegmentSize = 16 * 1024;
    // Linux: more data follows (the body, after the headers: they share packets); no SIGPIPE; never block.
    private const int MoreFollows = 0x8000, NoSignal = 0x4000, DontWait = 0x40;
    private const int WouldBlock = 11, Interrupted = 4;

    // What Kestrel is given to write a body that went by sendfile into; it writes nothing and nobody reads it.
    private static byte[] discarded = new byte[SegmentSize];

    private readonly Socket socket;
    private readonly ConnectionContext connection;
    private readonly PipeWriter transportOutput;
    private readonly List<ArraySegment<byte>> written = [];
    private readonly Lock state = new();
    private byte[]? current;
    private int currentLength;
    private long unflushed;
    private long toDiscard;
    // Under the lock: a send is in progress, Kestrel has completed the output, the connection failed.
    private bool sending, completed, lost;
    private bool cancelNextFlush;

    private DirectSocketOutput(Socket socket, ConnectionContext connection)
    {
        this.socket = socket;
        this.connection = connection;
        transportOutput = connection.Transport.Output;
    }

    /// <summary>Puts the direct output in place of the transport's on every connection of this endpoint (Linux).</summary>
    public static void UseFor(ListenOptions listen)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        listen.Use(next => async connection =>
        {
            if (connection.Features.Get<IConnectionSocketFeature>()?.Socket is not { } socket)
            {
                await next(connection);
                return;
            }

            var transport = connection.Transport;
            var output = new DirectSocketOutput(socket, connection);
            connection.Transport = new DuplexPipe(transport.Input, output);
            connection.Features.Set<IFileBodyFeature>(output);
            try
            {
                await next(connection);
            }
            finally
            {
                // Kestrel has completed it by now; if not, this lets the transport close the socket.
                output.Complete();
                connection.Transport = transport;
            }
        });
    }

    public override bool CanGetUnflushedBytes => true;

    public override long UnflushedBytes => unflushed;

    public override Memory<byte> GetMemory(int sizeHint = 0) => GetSegment(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => GetSegment(sizeHint);

    private ArraySegment<byte> GetSegment(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 1);
        if (toDiscard > 0)
        {
            var scratch = discarded;
            if (scratch.Length < needed)
            {
                discarded = scratch = new byte[needed];
            }

            return scratch;
        }

        if (current is null || current.Length - currentLength < needed)
        {
            Seal();
            current = ArrayPool<byte>.Shared.Rent(Math.Max(needed, SegmentSize));
            currentLength = 0;
        }

        return new ArraySegment<byte>(current, currentLength, current.Length - currentLength);
    }

    public override void Advance(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (toDiscard > 0)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(bytes, toDiscard);
            toDiscard -= bytes;
            return;
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytes, (current?.Length ?? 0) - currentLength);
        currentLength += bytes;
        unflushed += bytes;
    }

    public override void CancelPendingFlush() => cancelNextFlush = true;

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        lock (state)
        {
            if (completed || lost)
            {
                return new ValueTask<FlushResult>(new FlushResult(false, true));
            }

            if (sending)
            {
                throw new InvalidOperationException("A flush is already in progress.");
            }

            Seal();
            if (written.Count == 0)
            {
                return new ValueTask<FlushResult>(Result());
            }

            sending = true;
        }

        ValueTask<int> send;
        try
        {
            send = written.Count == 1
                ? socket.SendAsync(written[0].AsMemory(), SocketFlags.None)
                : new ValueTask<int>(socket.SendAsync(written, SocketFlags.None));
        }
        catch (Exception exception) when (IsConnectionFailure(exception))
        {
            Lose();
            return new ValueTask<FlushResult>(new FlushResult(false, true));
        }

        if (send.IsCompletedSuccessfully)
        {
            EndSend();
            return new ValueTask<FlushResult>(Result());
        }

        return AwaitFlushAsync(send);
    }

    private async ValueTask<FlushResult> AwaitFlushAsync(ValueTask<int> send)
    {
        try
        {
            await send;
        }
        catch (Exception exception) when (IsConnectionFailure(exception))
        {
            Lose();
            return new FlushResult(false, true);
        }

        EndSend();
        return Result();
    }

    public async ValueTask SendAsync(MemoryFile? file, byte[]? bytes, MinDataRate? minimumRate, CancellationToken aborted)
    {
        if ((file is null) == (bytes is null))
        {
            throw new ArgumentException("The body is either a file or bytes.");
        }

        var length = file?.Length ?? bytes!.Length;
        lock (state)
        {
            if (sending || toDiscard > 0)
            {
                throw new InvalidOperationException("A send is already in progress.");
            }

            // The body is dropped whatever happens to the connection, as Kestrel's account of it follows.
            toDiscard = length;
            if (completed || lost)
            {
                return;
            }

            sending = true;
        }

        Seal();
        var leased = false;
        nint fd = -1;
        CancellationTokenSource? deadline = null;
        try
        {
            leased = file is not null && file.TryLease(out fd);
            if (file is not null && !leased)
            {
                throw new ObjectDisposedException(nameof(MemoryFile), "The caller holds no lease on the file.");
            }

            foreach (var headers in written)
            {
                var sent = SendNow(headers, length > 0);
                if (sent < headers.Count)
                {
                    await socket.SendAsync(headers.AsMemory(sent), SocketFlags.None, Deadline(ref deadline, headers.Count - sent, minimumRate, aborted));
                }
            }

            long offset = 0;
            while (leased && offset < length)
            {
                var sent = SendFile(socket.SafeHandle, fd, ref offset, length - (nint)offset);
                var error = sent < 0 ? Marshal.GetLastPInvokeError() : 0;
                if (sent > 0 || error == Interrupted)
                {
                    continue;
                }

                if (error != 0 && error != WouldBlock)
                {
                    throw new SocketException(error);
                }

                // The socket's buffer is full (a slow client): the rest goes the ordinary way, which waits for room.
                break;
            }

            if (offset < length)
            {
                await SendRestAsync(file, bytes, (int)offset, length, Deadline(ref deadline, length - offset, minimumRate, aborted));
            }
        }
        catch (Exception exception) when (IsConnectionFailure(exception))
        {
            Lose();
            return;
        }
        finally
        {
            if (leased)
            {
                file!.EndLease();
            }

            deadline?.Dispose();
        }

        EndSend();
    }

    /// <summary>The rest of a body the ordinary way, which waits for room in the socket: from the array, or copied out of the file.</summary>
    private async Task SendRestAsync(MemoryFile? file, byte[]? bytes, int offset, int length, CancellationToken cancellationToken)
    {
        if (bytes is not null)
        {
            await socket.SendAsync(bytes.AsMemory(offset, length - offset), SocketFlags.None, cancellationToken);
            return;
        }

        var rest = ArrayPool<byte>.Shared.Rent(length - offset);
        try
        {
            file!.Read(rest.AsSpan(0, length - offset), offset);
            await socket.SendAsync(rest.AsMemory(0, length - offset), SocketFlags.None, cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rest);
        }
    }

    /// <summary>What the transport's own send loop would allow a client that reads slowly: Kestrel's minimum rate.</summary>
    private static CancellationToken Deadline(ref CancellationTokenSource? deadline, long bytes, MinDataRate? minimumRate, CancellationToken aborted)
    {
        if (minimumRate is null)
        {
            return aborted;
        }

        deadline ??= CancellationTokenSource.CreateLinkedTokenSource(aborted);
        deadline.CancelAfter(minimumRate.GracePeriod + TimeSpan.FromSeconds(bytes / minimumRate.BytesPerSecond));
        return deadline.Token;
    }

    private int SendNow(ArraySegment<byte> segment, bool moreFollows)
    {
        while (true)
        {
            var sent = Send(socket.SafeHandle, ref segment.Array![segment.Offset], segment.Count, (moreFollows ? MoreFollows : 0) | NoSignal | DontWait);
            if (sent >= 0)
            {
                return (int)sent;
            }

            var error = Marshal.GetLastPInvokeError();
            if (error == WouldBlock)
            {
                return 0;
            }

            if (error != Interrupted)
            {
                throw new SocketException(error);
            }
        }
    }

    public override void Complete(Exception? exception = null)
    {
        lock (state)
        {
            if (completed)
            {
                return;
            }

            completed = true;
            if (sending)
            {
                // The send in progress still reads the buffers: they and the transport go when it ends.
                return;
            }
        }

        Release();
        transportOutput.Complete(exception);
    }

    private FlushResult Result()
    {
        var canceled = cancelNextFlush;
        cancelNextFlush = false;
        return new FlushResult(canceled, false);
    }

    /// <summary>Closes the current segment into the list to send.</summary>
    private void Seal()
    {
        if (current is null)
        {
            return;
        }

        if (currentLength > 0)
        {
            written.Add(new ArraySegment<byte>(current, 0, currentLength));
        }
        else
        {
            ArrayPool<byte>.Shared.Return(current);
        }

        current = null;
        currentLength = 0;
    }

    private void EndSend()
    {
        // Kestrel writes nothing while the send is in progress, so the buffers are released before anyone may complete.
        Release();
        bool finish;
        lock (state)
        {
            sending = false;
            finish = completed;
        }

        if (finish)
        {
            transportOutput.Complete();
        }
    }

    private void Lose()
    {
        lock (state)
        {
            lost = true;
        }

        connection.Abort(new ConnectionAbortedException("The connection failed while a response was sent."));
        EndSend();
    }

    private void Release()
    {
        Seal();
        foreach (var segment in written)
        {
            ArrayPool<byte>.Shared.Return(segment.Array!);
        }

        written.Clear();
        unflushed = 0;
    }

    private static bool IsConnectionFailure(Exception exception) =>
        exception is SocketException or ObjectDisposedException or OperationCanceledException;

    // The socket goes in as its SafeHandle, which the marshaller holds a reference to for the call: Kestrel disposes
    // the socket on another thread when the client resets, and a bare descriptor number could by then name another
    // client's socket or an in-memory file. A socket already disposed throws ObjectDisposedException (the connection
    // failed); one disposed during the call is closed only after it. Only non-blocking calls: Socket.Dispose spins
    // until every reference is released. The file's descriptor is held by its lease (MemoryFile.TryLease).
    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    private static partial nint Send(SafeHandle socket, ref byte buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "sendfile", SetLastError = true)]
    private static partial nint SendFile(SafeHandle socket, nint file, ref long offset, nint count);

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
