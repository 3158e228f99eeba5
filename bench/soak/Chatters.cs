using System.Globalization;
using Nio.Bench.Clients;

namespace Nio.Bench.Soak;

/// <summary>
/// Signed-in chatters in the stream's room, each sending a message every <see cref="SoakSettings.ChatEvery"/> through
/// the hub (the sends of all of them spread evenly over that time) for the whole run.
/// </summary>
public sealed class Chatters(IRoom room, SoakSettings settings)
{
    private long sent;
    private long refused;
    private string? firstRefusal;

    public long Sent => Interlocked.Read(ref sent);

    public long Refused => Interlocked.Read(ref refused);

    public string? FirstRefusal => Volatile.Read(ref firstRefusal);

    public async Task RunAsync(CancellationToken stop)
    {
        var senders = await Task.WhenAll(Enumerable.Range(0, settings.Chatters).Select(i => room.JoinAsSenderAsync(i, stop)));
        try
        {
            await Task.WhenAll(senders.Select((sender, i) => TalkAsync(sender, i, stop)));
        }
        finally
        {
            await Task.WhenAll(senders.Select(sender => sender.DisposeAsync().AsTask()));
        }
    }

    private async Task TalkAsync(ISender sender, int index, CancellationToken stop)
    {
        try
        {
            await Task.Delay(settings.ChatEvery * index / settings.Chatters, stop);
            using var timer = new PeriodicTimer(settings.ChatEvery);
            for (var n = 0; ; n++)
            {
                try
                {
                    await sender.SendAsync(string.Create(CultureInfo.InvariantCulture, $"soak chatter {index}, message {n}: how is everyone doing?"));
                    Interlocked.Increment(ref sent);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    Interlocked.Increment(ref refused);
                    Interlocked.CompareExchange(ref firstRefusal, exception.Message, null);
                }

                await timer.WaitForNextTickAsync(stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run is over.
        }
    }
}
