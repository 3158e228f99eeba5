using System.Buffers.Binary;

namespace Nio.WebRtc.Rtp;

/// <summary>Limits of an <see cref="RtpReceiveBuffer"/>.</summary>
public sealed record RtpReceiveBufferOptions
{
    /// <summary>Packets held at most: a jump of the sequence number beyond it starts the buffer afresh.</summary>
    public int Capacity { get; init; } = 512;

    /// <summary>The largest RTP packet kept (after SRTP); larger ones are refused.</summary>
    public int MaxPacketSize { get; init; } = 1500;

    /// <summary>How long a gap holds back the packets after it before it is given up as lost.</summary>
    public TimeSpan MaxReorderDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a missing packet is waited for before the first NACK: packets that are merely reordered arrive within it.</summary>
    public TimeSpan NackDelay { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>How long after a NACK the same packet is asked for again (about one round trip).</summary>
    public TimeSpan NackRetryInterval { get; init; } = TimeSpan.FromMilliseconds(40);

    public int MaxNacksPerPacket { get; init; } = 3;
}

/// <summary>The outcome of <see cref="RtpReceiveBuffer.Insert"/>.</summary>
public enum RtpInsertResult
{
    Inserted,
    Duplicate,

    /// <summary>Its turn has passed: already delivered, or given up as lost.</summary>
    Late,

    Malformed,
    TooLarge,

    /// <summary>So far ahead of what is buffered that the buffer started afresh from it (and wants a keyframe).</summary>
    Restarted,
}

/// <summary>A packet handed out in sequence order; <see cref="Packet"/> is valid until the next call on the buffer.</summary>
public readonly ref struct RtpBufferedPacket
{
    public RtpBufferedPacket(ReadOnlySpan<byte> packet, ushort sequenceNumber, int lostBefore)
    {
        Packet = packet;
        SequenceNumber = sequenceNumber;
        LostBefore = lostBefore;
    }

    public ReadOnlySpan<byte> Packet { get; }

    public ushort SequenceNumber { get; }

    /// <summary>Packets given up as lost between the previous packet handed out and this one.</summary>
    public int LostBefore { get; }
}

/// <summary>
/// Puts the RTP packets of one SSRC back in sequence order within a small window, says which missing ones to NACK and
/// when, and gives a gap up after <see cref="RtpReceiveBufferOptions.MaxReorderDelay"/> — asking for a keyframe then,
/// since a video frame is broken. Sans-IO: the caller passes a monotonic time to every call and calls
/// <see cref="TryRead"/> after each insert and at <see cref="NextDeadline"/>. Packets are copied into one preallocated
/// ring, so nothing is allocated per packet. Not thread-safe.
/// </summary>
public sealed class RtpReceiveBuffer
{
    private readonly RtpReceiveBufferOptions _options;
    private readonly byte[] _storage;
    private readonly Slot[] _slots;
    private bool _started;
    private long _next; // extended sequence number handed out next
    private long _highest; // highest extended sequence number inserted
    private int _lostSinceRead;
    private long? _restartCandidate;

    public RtpReceiveBuffer(RtpReceiveBufferOptions? options = null)
    {
        _options = options ?? new RtpReceiveBufferOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.Capacity, 2, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxPacketSize, RtpHeader.FixedLength, nameof(options));
        _storage = new byte[_options.Capacity * _options.MaxPacketSize];
        _slots = new Slot[_options.Capacity];
    }

    /// <summary>Set when a gap was given up or the buffer restarted: the caller should send a PLI (for video).</summary>
    public bool KeyframeRequested { get; private set; }

    /// <summary>Total packets given up as lost.</summary>
    public long PacketsLost { get; private set; }

    /// <summary>Reads and clears <see cref="KeyframeRequested"/>.</summary>
    public bool TakeKeyframeRequest()
    {
        var requested = KeyframeRequested;
        KeyframeRequested = false;
        return requested;
    }

    public RtpInsertResult Insert(ReadOnlySpan<byte> packet, TimeSpan now)
    {
        if (!RtpHeader.TryGetHeaderLength(packet, out _))
        {
            return RtpInsertResult.Malformed;
        }

        if (packet.Length > _options.MaxPacketSize)
        {
            return RtpInsertResult.TooLarge;
        }

        var sequenceNumber = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        if (!_started)
        {
            _started = true;
            _next = _highest = sequenceNumber;
            return Store(packet, sequenceNumber);
        }

        var extended = _highest + (short)(sequenceNumber - (ushort)_highest);
        if (extended < _next)
        {
            // Far behind everything: a sender that restarted its numbering shows as two such packets in a row.
            if (_next - extended > _slots.Length)
            {
                if (_restartCandidate == extended - 1)
                {
                    Restart(extended);
                    return Store(packet, extended) == RtpInsertResult.Inserted ? RtpInsertResult.Restarted : RtpInsertResult.Duplicate;
                }

                _restartCandidate = extended;
            }

            return RtpInsertResult.Late;
        }

        _restartCandidate = null;
        if (extended - _next >= _slots.Length)
        {
            Restart(extended);
            Store(packet, extended);
            return RtpInsertResult.Restarted;
        }

        // Packets skipped over become missing from now: NACK and give-up timers start here.
        for (var missing = _highest + 1; missing < extended; missing++)
        {
            _slots[Index(missing)] = new Slot { Sequence = missing, MissingSince = now };
        }

        return Store(packet, extended);
    }

    /// <summary>
    /// Hands out the next packet in sequence order if it is there, or — once the packets of a gap have been missing for
    /// <see cref="RtpReceiveBufferOptions.MaxReorderDelay"/> — the first packet after it, with the gap counted as lost.
    /// </summary>
    public bool TryRead(TimeSpan now, out RtpBufferedPacket packet)
    {
        packet = default;
        if (!_started)
        {
            return false;
        }

        while (_next <= _highest)
        {
            ref var slot = ref _slots[Index(_next)];
            if (slot.Sequence == _next && slot.Length > 0)
            {
                var data = _storage.AsSpan(Index(_next) * _options.MaxPacketSize, slot.Length);
                packet = new RtpBufferedPacket(data, (ushort)_next, _lostSinceRead);
                slot.Length = 0;
                _lostSinceRead = 0;
                _next++;
                return true;
            }

            // A gap: wait for it until it has been missing for the reorder delay, then count it lost and go on.
            if (slot.Sequence == _next && now - slot.MissingSince < _options.MaxReorderDelay)
            {
                return false;
            }

            _lostSinceRead++;
            PacketsLost++;
            KeyframeRequested = true;
            _next++;
        }

        return false;
    }

    /// <summary>
    /// Writes the sequence numbers to NACK now into <paramref name="destination"/> (oldest first) and returns how many:
    /// each missing packet once it has been missing for <see cref="RtpReceiveBufferOptions.NackDelay"/>, again every
    /// <see cref="RtpReceiveBufferOptions.NackRetryInterval"/>, at most <see cref="RtpReceiveBufferOptions.MaxNacksPerPacket"/> times.
    /// </summary>
    public int CollectNacks(TimeSpan now, Span<ushort> destination)
    {
        var count = 0;
        for (var sequence = _next; _started && sequence < _highest && count < destination.Length; sequence++)
        {
            ref var slot = ref _slots[Index(sequence)];
            if (slot.Sequence != sequence || slot.Length > 0 || slot.Nacks >= _options.MaxNacksPerPacket)
            {
                continue;
            }

            var due = slot.Nacks == 0 ? slot.MissingSince + _options.NackDelay : slot.LastNack + _options.NackRetryInterval;
            if (now >= due)
            {
                slot.Nacks++;
                slot.LastNack = now;
                destination[count++] = (ushort)sequence;
            }
        }

        return count;
    }

    /// <summary>When <see cref="TryRead"/> or <see cref="CollectNacks"/> next has something to do without a new packet; null when nothing waits.</summary>
    public TimeSpan? NextDeadline()
    {
        if (!_started || _next > _highest || _slots[Index(_next)] is { Length: > 0 } first && first.Sequence == _next)
        {
            return null;
        }

        var deadline = _slots[Index(_next)].MissingSince + _options.MaxReorderDelay;
        for (var sequence = _next; sequence < _highest; sequence++)
        {
            var slot = _slots[Index(sequence)];
            if (slot.Sequence == sequence && slot.Length == 0 && slot.Nacks < _options.MaxNacksPerPacket)
            {
                var due = slot.Nacks == 0 ? slot.MissingSince + _options.NackDelay : slot.LastNack + _options.NackRetryInterval;
                deadline = due < deadline ? due : deadline;
            }
        }

        return deadline;
    }

    private RtpInsertResult Store(ReadOnlySpan<byte> packet, long extended)
    {
        ref var slot = ref _slots[Index(extended)];
        if (slot.Sequence == extended && slot.Length > 0)
        {
            return RtpInsertResult.Duplicate;
        }

        packet.CopyTo(_storage.AsSpan(Index(extended) * _options.MaxPacketSize));
        slot = new Slot { Sequence = extended, Length = packet.Length };
        _highest = Math.Max(_highest, extended);
        return RtpInsertResult.Inserted;
    }

    /// <summary>Drops whatever was not handed out yet (counted as lost) and starts again from <paramref name="extended"/>.</summary>
    private void Restart(long extended)
    {
        PacketsLost += Math.Max(0, _highest - _next + 1);
        Array.Clear(_slots);
        _next = _highest = extended;
        _lostSinceRead = 0;
        _restartCandidate = null;
        KeyframeRequested = true;
    }

    private int Index(long extendedSequence) => (int)(((extendedSequence % _slots.Length) + _slots.Length) % _slots.Length);

    private struct Slot
    {
        public long Sequence;
        public int Length; // 0: missing or handed out
        public TimeSpan MissingSince;
        public TimeSpan LastNack;
        public int Nacks;
    }
}
