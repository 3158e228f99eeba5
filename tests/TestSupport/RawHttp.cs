using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Nio.TestSupport;

/// <summary>
/// HTTP/1.1 POSTs written by hand on a loopback connection, for what a client library will not send: a body announced
/// and never sent, or a chunked body that goes on past a server's limit.
/// </summary>
public static class RawHttp
{
    /// <summary>
    /// Announces a body of <paramref name="contentLength"/> bytes and sends none of it: the status the server answers
    /// with, or null when it has not answered within <paramref name="timeout"/> (it waits for the body).
    /// </summary>
    public static async Task<int?> PostWithoutBodyAsync(int port, string path, string? secret, long contentLength, TimeSpan timeout)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var connection = client.GetStream();
        await connection.WriteAsync(Head(path, secret, $"Content-Length: {contentLength}"));
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            return await ReadStatusAsync(connection, deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>
    /// Sends about <paramref name="bodyBytes"/> of a JSON object with one never-ending string (a parser must read on to
    /// its end), in chunks so that the server has no length to check first, until the server answers or stops reading:
    /// the status it answered with.
    /// </summary>
    public static async Task<int> PostChunkedAsync(int port, string path, string? secret, int bodyBytes)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var connection = client.GetStream();
        await connection.WriteAsync(Head(path, secret, "Transfer-Encoding: chunked"));
        using var answered = new CancellationTokenSource();
        var status = ReadStatusAsync(connection, CancellationToken.None).ContinueWith(read =>
        {
            answered.Cancel();
            return read.Result;
        }, TaskScheduler.Default);
        var chunk = Encoding.ASCII.GetBytes($"4000\r\n{new string('a', 0x4000)}\r\n");
        try
        {
            await connection.WriteAsync(Encoding.ASCII.GetBytes("b\r\n{\"filler\":\"\r\n"), answered.Token);
            for (var sent = 0; sent < bodyBytes && !answered.IsCancellationRequested; sent += 0x4000)
            {
                await connection.WriteAsync(chunk, answered.Token);
            }

            await connection.WriteAsync("0\r\n\r\n"u8.ToArray(), answered.Token);
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException)
        {
            // The server answered, or closed the connection after answering.
        }

        return await status.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static byte[] Head(string path, string? secret, string bodyHeader) => Encoding.ASCII.GetBytes(
        $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n{bodyHeader}\r\n" +
        (secret is null ? "" : $"Authorization: Bearer {secret}\r\n") + "\r\n");

    /// <summary>The status code of the response's status line.</summary>
    private static async Task<int> ReadStatusAsync(Stream connection, CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        var buffer = new byte[1];
        while (!line.ToString().EndsWith("\r\n", StringComparison.Ordinal))
        {
            if (await connection.ReadAsync(buffer, cancellationToken) == 0)
            {
                throw new IOException("The server closed the connection without answering: " + line);
            }

            line.Append((char)buffer[0]);
        }

        return int.Parse(line.ToString().Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
