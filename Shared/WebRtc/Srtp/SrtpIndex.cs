namespace Nio.WebRtc.Srtp;

/// <summary>The 48-bit SRTP packet index of an RTP sequence number: ROC * 2^16 + SEQ (RFC 3711 §3.3.1).</summary>
internal static class SrtpIndex
{
    private const ulong MaxIndex = (1UL << 48) - 1;

    /// <summary>
    /// Estimates the index of <paramref name="sequenceNumber"/> from the highest index seen so far, per RFC 3711
    /// Appendix A:
    /// <code>
    /// if (s_l &lt; 32,768)
    ///     if (SEQ - s_l &gt; 32,768) set v to (ROC-1) mod 2^32 else set v to ROC
    /// else
    ///     if (s_l - 32,768 &gt; SEQ) set v to (ROC+1) mod 2^32 else set v to ROC
    /// return SEQ + v*65,536
    /// </code>
    /// Before the first packet the ROC is taken as zero ("the receiver ... MAY assume that the ROC is zero").
    /// False where the estimate falls before index zero or past 2^48 - 1 instead of wrapping round.
    /// </summary>
    public static bool TryEstimate(in SrtpReplayWindow window, ushort sequenceNumber, out ulong index)
    {
        if (!window.IsStarted)
        {
            index = sequenceNumber;
            return true;
        }

        var roc = (long)(window.Highest >> 16);
        var highestSequence = (int)(window.Highest & 0xFFFF);
        long v;
        if (highestSequence < 32768)
        {
            v = sequenceNumber - highestSequence > 32768 ? roc - 1 : roc;
        }
        else
        {
            v = highestSequence - 32768 > sequenceNumber ? roc + 1 : roc;
        }

        index = (ulong)((v << 16) | sequenceNumber);
        return v >= 0 && index <= MaxIndex;
    }
}
