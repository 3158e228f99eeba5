using System.Buffers;

namespace Nio.Transcoder.Live;

/// <summary>
/// Feeds FFmpeg its input: the Transcoder opens the stream's media (FLV or Matroska) with its own credential and copies it into
/// FFmpeg's standard input (<see cref="FfmpegLadder.StandardInput"/>), so the credential never reaches FFmpeg's
/// command line.
/// </summary>
public static class LiveInput
{
    private const int BufferSize = 64 * 1024;

    /// <summary>
    /// Copies the input into <paramref name="ffmpegInput"/> until the input ends, fails, or sends nothing for
    /// <paramref name="silence"/>, or FFmpeg stops reading; then closes it, so FFmpeg finishes what it has and exits.
    /// Never throws: returns why the input stopped early, or null when it ended (the publisher left) or was stopped.
    /// </summary>
    public static async Task<string?> FeedAsync(
        Func<CancellationToken, Task<Stream>> open, Stream ffmpegInput, TimeSpan silence, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            Stream opened;
            // Only the opening has this deadline (disposed with it): the stream then lasts as long as the broadcast.
            using (var opening = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                opening.CancelAfter(silence);
                opened = await open(opening.Token);
            }

            await using var input = opened;
            while (true)
            {
                using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                quiet.CancelAfter(silence);
                var read = await input.ReadAsync(buffer, quiet.Token);
                if (read == 0)
                {
                    return null;
                }

                try
                {
                    await ffmpegInput.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
                catch (IOException)
                {
                    // FFmpeg exited (its exit is logged): nothing reads the pipe any more.
                    return null;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (OperationCanceledException)
        {
            return FormattableString.Invariant($"the Ingest did not answer or sent nothing for {silence.TotalSeconds} s");
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException)
        {
            return exception.Message;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            await CloseAsync(ffmpegInput);
        }
    }

    private static async Task CloseAsync(Stream ffmpegInput)
    {
        try
        {
            await ffmpegInput.DisposeAsync();
        }
        catch (IOException)
        {
            // FFmpeg has exited: the pipe is gone already.
        }
    }
}
