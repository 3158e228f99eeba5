using Nio.Api.Audit;
using Nio.Api.Chat;

namespace Nio.Api.Streams;

/// <summary>Ending a stream for good, by its owner or by an operator (audited then): its key is revoked and the room told.</summary>
public sealed class StreamEnding(StreamRepository streams, RoomEvents room, AuditLog audit)
{
    /// <summary>The stream as it was and as it is now; null for an unknown stream. Ending an ended stream changes nothing.</summary>
    public async Task<(StreamRow Before, StreamRow After)?> EndAsync(Guid id, Guid actorId, string? reason, CancellationToken cancellationToken)
    {
        var before = await streams.GetAsync(id, cancellationToken);
        if (before is null)
        {
            return null;
        }

        if (before.OwnerId != actorId && before.Status != StreamStatus.Ended)
        {
            await audit.RecordAsync(new AuditRecord(actorId, "stream.end", "stream", id.ToString())
            {
                Reason = reason, Before = new { before.Status }, After = new { Status = StreamStatus.Ended }, Details = new { before.OwnerId, before.Title },
            }, cancellationToken);
        }

        var after = await streams.EndAsync(id, cancellationToken);
        if (before.Status != StreamStatus.Ended)
        {
            await room.StreamEndedAsync(id, forGood: true, cancellationToken);
        }

        return (before, after!);
    }
}
