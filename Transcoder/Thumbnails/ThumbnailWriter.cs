using System.Buffers;
using System.IO.Pipelines;
using Nio.Shared.Storage;

namespace Nio.Transcoder.Thumbnails;

/// <summary>Told when a stream has a new thumbnail in the media store.</summary>
public interface IThumbnailListener
{
    Task ThumbnailStoredAsync(Guid streamId, CancellationToken cancellationToken);
}

/// <summary>
/// Keeps a stream's thumbnail (<c>live/{streamId}/thumbnail.jpg</c>) current: each JPEG FFmpeg writes replaces it in
/// the media store, then <see cref="IThumbnailListener"/> hears of it.
/// </summary>
public sealed class ThumbnailWriter(Guid streamId, string path, IMediaStore store, IThumbnailListener? listener)
{
    /// <summary>Reads one FFmpeg run's thumbnails until it ends, or until its pending read is cancelled.</summary>
    public async Task RunAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken);
                if (result.IsCanceled)
                {
                    // The run was given up: an image still buffered is no longer the newest.
                    return;
                }

                var newest = Newest(result.Buffer, out var consumed);
                reader.AdvanceTo(consumed, result.Buffer.End);
                if (newest is not null)
                {
                    await store.WriteAsync(path, newest, "image/jpeg", cancellationToken);
                    if (listener is not null)
                    {
                        await listener.ThumbnailStoredAsync(streamId, cancellationToken);
                    }
                }

                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    /// <summary>The last whole image in the buffer (older ones are already out of date), or null.</summary>
    private static byte[]? Newest(ReadOnlySequence<byte> buffer, out SequencePosition consumed)
    {
        var reader = new SequenceReader<byte>(buffer);
        ReadOnlySequence<byte>? newest = null;
        while (JpegReader.TryReadImage(ref reader, out var image))
        {
            newest = image;
        }

        consumed = reader.Position;
        return newest?.ToArray();
    }
}
