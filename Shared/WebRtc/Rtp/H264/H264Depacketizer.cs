using System.Buffers;
using System.Buffers.Binary;

namespace Nio.WebRtc.Rtp.H264;

/// <summary>How the NAL units of an access unit are delimited.</summary>
public enum H264NalFormat
{
    /// <summary>Each NAL unit after a 00 00 00 01 start code (ITU-T H.264 Annex B), as FFmpeg reads raw H.264.</summary>
    AnnexB,

    /// <summary>Each NAL unit after its length in 4 bytes, big-endian, as in MP4 and FLV.</summary>
    LengthPrefixed,
}

public sealed record H264DepacketizerOptions
{
    public H264NalFormat Format { get; init; } = H264NalFormat.AnnexB;

    /// <summary>An access unit larger than this is dropped (a keyframe of 4K video is a few hundred KiB).</summary>
    public int MaxAccessUnitSize { get; init; } = 4 * 1024 * 1024;

    public int MaxNalUnitsPerAccessUnit { get; init; } = 1024;

    /// <summary>SPS and PPS longer than this are refused.</summary>
    public int MaxParameterSetSize { get; init; } = 1024;
}

/// <summary>
/// One access unit: its NAL units in the configured format, valid only while the handler runs. <see cref="Sps"/> and
/// <see cref="Pps"/> are the latest parameter sets seen, in this access unit or before (without start code or length).
/// </summary>
public readonly ref struct H264AccessUnit
{
    public H264AccessUnit(ReadOnlySpan<byte> data, int nalUnitCount, bool isKeyframe, uint rtpTimestamp, ReadOnlySpan<byte> sps, ReadOnlySpan<byte> pps)
    {
        Data = data;
        NalUnitCount = nalUnitCount;
        IsKeyframe = isKeyframe;
        RtpTimestamp = rtpTimestamp;
        Sps = sps;
        Pps = pps;
    }

    public ReadOnlySpan<byte> Data { get; }

    public int NalUnitCount { get; }

    /// <summary>An IDR slice is in it: decoding can start here.</summary>
    public bool IsKeyframe { get; }

    /// <summary>The 90 kHz RTP timestamp shared by the access unit's packets.</summary>
    public uint RtpTimestamp { get; }

    public ReadOnlySpan<byte> Sps { get; }

    public ReadOnlySpan<byte> Pps { get; }
}

public delegate void H264AccessUnitHandler(in H264AccessUnit accessUnit);

/// <summary>What became of one RTP packet.</summary>
public enum H264PacketResult
{
    Accepted,

    /// <summary>Its NAL unit or aggregate is malformed: the access unit it belongs to is dropped.</summary>
    Malformed,

    /// <summary>A packet type packetization-mode 1 does not use (STAP-B, MTAP, FU-B) or a reserved one: ignored.</summary>
    Unsupported,
}

/// <summary>
/// Reassembles H.264 access units from RTP payloads (RFC 6184, packetization-mode 1: single NAL unit packets, STAP-A,
/// FU-A). An access unit ends at the marker bit or when the timestamp changes. A lost packet (a gap in the sequence
/// numbers), a malformed packet or an oversized access unit drops the access unit it breaks, and every access unit
/// after it until the next keyframe, and sets <see cref="KeyframeRequested"/>; before the first keyframe nothing is
/// handed out either. Sizes are bounded by <see cref="H264DepacketizerOptions"/>. Not thread-safe.
/// </summary>
public sealed class H264Depacketizer : IDisposable
{
    private const int NalTypeIdr = 5;
    private const int NalTypeSps = 7;
    private const int NalTypePps = 8;
    private const int NalTypeStapA = 24;
    private const int NalTypeFuA = 28;

    private readonly H264AccessUnitHandler _onAccessUnit;
    private readonly H264DepacketizerOptions _options;
    private byte[] _buffer;
    private int _length;
    private int _nalUnits;
    private bool _hasIdr;
    private bool _broken;
    private bool _open; // packets of the current timestamp have been seen
    private uint _timestamp;
    private int _fragmentStart = -1; // offset of the FU-A NAL unit being reassembled (its start code or length)
    private bool _started;
    private ushort _lastSequenceNumber;
    private bool _waitingForKeyframe = true;
    private byte[] _sps = [];
    private byte[] _pps = [];

    public H264Depacketizer(H264AccessUnitHandler onAccessUnit, H264DepacketizerOptions? options = null)
    {
        _onAccessUnit = onAccessUnit;
        _options = options ?? new H264DepacketizerOptions();
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(64 * 1024, _options.MaxAccessUnitSize));
    }

    /// <summary>Set when an access unit was dropped for loss or damage: the caller should send a PLI.</summary>
    public bool KeyframeRequested { get; private set; }

    public long AccessUnitsDropped { get; private set; }

    public ReadOnlySpan<byte> Sps => _sps;

    public ReadOnlySpan<byte> Pps => _pps;

    public bool TakeKeyframeRequest()
    {
        var requested = KeyframeRequested;
        KeyframeRequested = false;
        return requested;
    }

    /// <summary>
    /// Takes the payload of the next RTP packet in sequence order. The packets of an access unit already found damaged
    /// are discarded unread (and reported <see cref="H264PacketResult.Accepted"/>).
    /// </summary>
    public H264PacketResult Push(ReadOnlySpan<byte> payload, ushort sequenceNumber, uint timestamp, bool marker)
    {
        var gap = _started && sequenceNumber != (ushort)(_lastSequenceNumber + 1);
        _started = true;
        _lastSequenceNumber = sequenceNumber;
        if (_open && timestamp != _timestamp)
        {
            // The previous access unit had no marker: it is complete unless packets were lost in between.
            _broken |= gap;
            Finish();
        }

        if (!_open)
        {
            _open = true;
            _timestamp = timestamp;
        }

        _broken |= gap;
        var result = _broken ? H264PacketResult.Accepted : Read(payload);
        if (result == H264PacketResult.Malformed)
        {
            _broken = true;
        }

        if (marker)
        {
            Finish();
        }

        return result;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private H264PacketResult Read(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return H264PacketResult.Malformed;
        }

        // RFC 6184 §5.3: "|F|NRI|  Type   |"; "A value of 1 [of F] indicates that the NAL unit type octet and payload
        // may contain bit errors or other syntax violations."
        if ((payload[0] & 0x80) != 0)
        {
            return H264PacketResult.Malformed;
        }

        var type = payload[0] & 0x1F;
        switch (type)
        {
            case >= 1 and <= 23:
                return _fragmentStart >= 0 ? H264PacketResult.Malformed : AppendNalUnit(payload) ? H264PacketResult.Accepted : H264PacketResult.Malformed;
            case NalTypeStapA:
                return ReadAggregate(payload[1..]);
            case NalTypeFuA:
                return ReadFragment(payload);
            default:
                // §5.2: 25–27 and 29 belong to the interleaved mode; 0, 30 and 31 are reserved: "A receiver MUST
                // ignore ... reserved types".
                return H264PacketResult.Unsupported;
        }
    }

    /// <summary>
    /// STAP-A (RFC 6184 §5.7.1): NAL units each after a 16-bit size.
    /// "| NALU 1 Size | NALU 1 HDR | NALU 1 Data | NALU 2 Size | ..."
    /// </summary>
    private H264PacketResult ReadAggregate(ReadOnlySpan<byte> units)
    {
        if (_fragmentStart >= 0 || units.IsEmpty)
        {
            return H264PacketResult.Malformed;
        }

        while (!units.IsEmpty)
        {
            if (units.Length < 2)
            {
                return H264PacketResult.Malformed;
            }

            var size = BinaryPrimitives.ReadUInt16BigEndian(units);
            if (size == 0 || size > units.Length - 2 || !AppendNalUnit(units.Slice(2, size)))
            {
                return H264PacketResult.Malformed;
            }

            units = units[(2 + size)..];
        }

        return H264PacketResult.Accepted;
    }

    /// <summary>
    /// FU-A (RFC 6184 §5.8): "| FU indicator | FU header | FU payload |", with the FU header "|S|E|R|  Type   |".
    /// The reassembled NAL unit's header takes F and NRI from the indicator and the type from the FU header.
    /// </summary>
    private H264PacketResult ReadFragment(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 3)
        {
            return H264PacketResult.Malformed;
        }

        var start = (payload[1] & 0x80) != 0;
        var end = (payload[1] & 0x40) != 0;
        // "A fragmented NAL unit MUST NOT be transmitted in one FU; that is, the Start bit and End bit MUST NOT both
        // be set to one in the same FU header." A start in the middle of another, or a middle without a start, means
        // a fragment went missing.
        if ((start && end) || start == _fragmentStart >= 0)
        {
            return H264PacketResult.Malformed;
        }

        if (start)
        {
            if (!BeginNalUnit())
            {
                return H264PacketResult.Malformed;
            }

            _fragmentStart = _length;
            if (!Append([(byte)((payload[0] & 0xE0) | (payload[1] & 0x1F))]))
            {
                return H264PacketResult.Malformed;
            }
        }

        if (!Append(payload[2..]))
        {
            return H264PacketResult.Malformed;
        }

        if (end)
        {
            var nalStart = _fragmentStart;
            _fragmentStart = -1;
            EndNalUnit(nalStart);
        }

        return H264PacketResult.Accepted;
    }

    private bool AppendNalUnit(ReadOnlySpan<byte> nalUnit)
    {
        if (nalUnit.IsEmpty || (nalUnit[0] & 0x80) != 0 || !BeginNalUnit())
        {
            return false;
        }

        var start = _length;
        if (!Append(nalUnit))
        {
            return false;
        }

        EndNalUnit(start);
        return true;
    }

    /// <summary>Writes the start code, or room for the length, before a NAL unit.</summary>
    private bool BeginNalUnit()
    {
        if (_nalUnits == _options.MaxNalUnitsPerAccessUnit)
        {
            return false;
        }

        _nalUnits++;
        return Append([0, 0, 0, 1]);
    }

    private void EndNalUnit(int nalStart)
    {
        var nalUnit = _buffer.AsSpan(nalStart, _length - nalStart);
        if (_options.Format == H264NalFormat.LengthPrefixed)
        {
            BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(nalStart - 4), nalUnit.Length);
        }

        switch (nalUnit[0] & 0x1F)
        {
            case NalTypeIdr:
                _hasIdr = true;
                break;
            case NalTypeSps:
                Capture(ref _sps, nalUnit);
                break;
            case NalTypePps:
                Capture(ref _pps, nalUnit);
                break;
        }
    }

    private void Capture(ref byte[] parameterSet, ReadOnlySpan<byte> nalUnit)
    {
        if (nalUnit.Length <= _options.MaxParameterSetSize && !nalUnit.SequenceEqual(parameterSet))
        {
            parameterSet = nalUnit.ToArray();
        }
    }

    private bool Append(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _options.MaxAccessUnitSize - _length)
        {
            return false;
        }

        if (bytes.Length > _buffer.Length - _length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Min(_options.MaxAccessUnitSize, Math.Max(_buffer.Length * 2, _length + bytes.Length)));
            _buffer.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
        return true;
    }

    private void Finish()
    {
        var broken = _broken || _fragmentStart >= 0;
        if (broken)
        {
            // A decoder cannot use what refers to a damaged picture: wait for the next IDR and ask for one.
            _waitingForKeyframe = true;
        }

        if (!broken && _nalUnits > 0 && (_hasIdr || !_waitingForKeyframe))
        {
            _waitingForKeyframe = false;
            _onAccessUnit(new H264AccessUnit(_buffer.AsSpan(0, _length), _nalUnits, _hasIdr, _timestamp, _sps, _pps));
        }
        else if (broken || _nalUnits > 0)
        {
            AccessUnitsDropped++;
            KeyframeRequested = true;
        }

        _length = 0;
        _nalUnits = 0;
        _hasIdr = false;
        _broken = false;
        _open = false;
        _fragmentStart = -1;
    }
}
