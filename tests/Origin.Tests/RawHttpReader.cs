using System.Text;

namespace Nio.Origin.Tests;

/// <summary>Reads HTTP/1.1 responses with a Content-Length off a raw connection, one after another.</summary>
internal sealed class RawHttpReader(Stream connection)
{
    private readonly List<byte> pending = [];

    public async Task<(int Status, byte[] Body)> ReadAsync(CancellationToken cancellationToken = default)
    {
        int end;
        while ((end = HeaderEnd()) < 0)
        {
            await FillAsync(cancellationToken);
        }

        var head = Encoding.ASCII.GetString(pending.GetRange(0, end).ToArray()).Split("\r\n");
        pending.RemoveRange(0, end + 4);
        Assert.True(head[0].StartsWith("HTTP/1.1 ", StringComparison.Ordinal), "The response does not start with a status line.");
        var status = int.Parse(head[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var length = head.Skip(1).Select(line => line.Split(':', 2)).Where(header => header[0].Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            .Select(header => int.Parse(header[1].Trim(), System.Globalization.CultureInfo.InvariantCulture)).Single();
        while (pending.Count < length)
        {
            await FillAsync(cancellationToken);
        }

        var body = pending.GetRange(0, length).ToArray();
        pending.RemoveRange(0, length);
        return (status, body);
    }

    private int HeaderEnd()
    {
        for (var i = 0; i + 3 < pending.Count; i++)
        {
            if (pending[i] == '\r' && pending[i + 1] == '\n' && pending[i + 2] == '\r' && pending[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }

    private async Task FillAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var read = await connection.ReadAsync(buffer, cancellationToken);
        Assert.True(read > 0, "The Origin closed the connection before the response was whole.");
        pending.AddRange(buffer.AsSpan(0, read));
    }
}
