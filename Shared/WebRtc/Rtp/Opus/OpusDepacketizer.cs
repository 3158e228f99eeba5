namespace Nio.WebRtc.Rtp.Opus;

/// <summary>One Opus packet from RTP: its bytes, its 48 kHz timestamp extended to 64 bits, and its duration.</summary>
public readonly ref struct OpusFrame
{
    public OpusFrame(ReadOnlySpan<byte> data, long timestamp, int durationSamples)
    {
        Data = data;
        Timestamp = timestamp;
        DurationSamples = durationSamples;
    }

    public ReadOnlySpan<byte> Data { get; }

    /// <summary>In 48 kHz units: RFC 7587 §4.1, "the RTP timestamp is incremented with a 48000 Hz clock rate for all modes of Opus".</summary>
    public long Timestamp { get; }

    /// <summary>Samples per channel at 48 kHz that the packet decodes to.</summary>
    public int DurationSamples { get; }
}

/// <summary>
/// Opus over RTP (RFC 7587 §4.2): "The RTP payload ... consists of exactly one Opus packet", so depacketising is
/// reading the duration from the TOC byte and extending the timestamp.
/// </summary>
public sealed class OpusDepacketizer
{
    public const int ClockRate = 48_000;

    private readonly RtpTimestampUnwrapper _timestamps = new();

    /// <summary>False for a payload that is not a valid Opus packet (RFC 6716 §3.4, R1–R7 as far as the TOC tells).</summary>
    public bool TryRead(ReadOnlySpan<byte> payload, uint rtpTimestamp, out OpusFrame frame)
    {
        frame = default;
        if (!TryGetDuration(payload, out var samples))
        {
            return false;
        }

        frame = new OpusFrame(payload, _timestamps.Unwrap(rtpTimestamp), samples);
        return true;
    }

    /// <summary>
    /// The duration of an Opus packet in 48 kHz samples, from its TOC byte (RFC 6716 §3.1):
    /// <code>
    ///  0 1 2 3 4 5 6 7
    /// | config  |s| c |
    /// </code>
    /// config 0–11 are SILK frames of 10, 20, 40, 60 ms; 12–15 Hybrid of 10, 20 ms; 16–31 CELT of 2.5, 5, 10, 20 ms.
    /// c is the frame count code: one frame, two, two of different sizes, or an arbitrary number given in the next
    /// byte (§3.2.5: "M MUST NOT be zero, and the audio duration contained within a packet MUST NOT exceed 120 ms").
    /// </summary>
    public static bool TryGetDuration(ReadOnlySpan<byte> packet, out int samples)
    {
        samples = 0;
        // R1: "Packets are at least one byte."
        if (packet.IsEmpty)
        {
            return false;
        }

        var config = packet[0] >> 3;
        ReadOnlySpan<int> silkFrameSizes = [480, 960, 1920, 2880];
        var frameSize = config switch
        {
            < 12 => silkFrameSizes[config & 3],
            < 16 => 480 << (config & 1),
            _ => 120 << (config & 3),
        };

        int frames;
        switch (packet[0] & 0x03)
        {
            case 0:
                frames = 1;
                break;
            case 1 or 2:
                frames = 2;
                break;
            default:
                // R6: code 3 packets have at least two bytes.
                if (packet.Length < 2)
                {
                    return false;
                }

                frames = packet[1] & 0x3F;
                break;
        }

        if (frames == 0 || frames * frameSize > 5760)
        {
            return false;
        }

        samples = frames * frameSize;
        return true;
    }
}
