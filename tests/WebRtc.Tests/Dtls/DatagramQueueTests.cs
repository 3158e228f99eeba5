using Nio.WebRtc.Dtls;

namespace Nio.WebRtc.Tests.Dtls;

public sealed class DatagramQueueTests
{
    // Two records in one datagram, as a client's last flight carries them: a change_cipher_spec in epoch 0 and a
    // Finished in epoch 1 (an 8-byte explicit nonce, 24 bytes of encrypted handshake message and a 16-byte tag).
    private static readonly byte[] TwoRecords =
    [
        20, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 5, 0, 1, 1,
        22, 0xFE, 0xFD, 0, 1, 0, 0, 0, 0, 0, 0, 0, 48, .. new byte[48],
    ];

    [Fact]
    public void Whole_records_are_accepted()
    {
        Assert.True(DatagramQueue.IsWellFormed(TwoRecords));
    }

    [Fact]
    public void Every_prefix_that_cuts_a_record_is_dropped()
    {
        for (var length = 0; length < TwoRecords.Length; length++)
        {
            Assert.Equal(length == 14, DatagramQueue.IsWellFormed(TwoRecords.AsSpan(0, length)));
        }
    }

    [Fact]
    public void A_protected_record_too_short_for_a_nonce_and_a_tag_is_dropped()
    {
        byte[] shortFinished = [22, 0xFE, 0xFD, 0, 1, 0, 0, 0, 0, 0, 0, 0, 23, .. new byte[23]];

        Assert.False(DatagramQueue.IsWellFormed(shortFinished));
    }

    [Fact]
    public void The_queue_is_bounded_and_drops_what_does_not_fit()
    {
        var queue = new DatagramQueue(_ => { }, CancellationToken.None);
        var accepted = Enumerable.Range(0, 1000).Count(_ => queue.TryEnqueue(TwoRecords));

        Assert.InRange(accepted, 1, 64);
        Assert.False(queue.TryEnqueue(new byte[DatagramQueue.MaxDatagramLength + 1]));
    }
}
