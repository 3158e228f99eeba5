namespace Nio.Transcoder.Fmp4;

/// <summary>Reads the track list and the fragment defaults out of a whole <c>moov</c> box.</summary>
internal static class MoovParser
{
    // ISO/IEC 14496-3 §1.6.3.4: the sampling frequencies samplingFrequencyIndex 0 to 12 stand for.
    private static readonly int[] SamplingFrequencies =
        [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

    public static InitSegment Parse(byte[] bytes, long moovStart)
    {
        var top = new ChildBoxes(bytes.AsSpan((int)moovStart), BoxType.Moov);
        top.MoveNext();
        var tracks = new List<TrackInfo>();
        var defaults = new Dictionary<uint, TrackDefaults>();
        var children = new ChildBoxes(top.Body, BoxType.Moov);
        while (children.MoveNext())
        {
            if (children.Type == BoxType.Trak)
            {
                var track = ParseTrak(children.Body);
                if (tracks.Any(existing => existing.TrackId == track.TrackId))
                {
                    throw new Fmp4FormatException(Fmp4Error.DuplicateTrack, $"track {track.TrackId} appears twice");
                }

                tracks.Add(track);
            }
            else if (children.Type == BoxType.Mvex)
            {
                ParseMvex(children.Body, defaults);
            }
        }

        if (tracks.Count == 0)
        {
            throw new Fmp4FormatException(Fmp4Error.MissingBox, "'moov' has no 'trak'");
        }

        return new InitSegment(bytes, tracks, defaults);
    }

    private static TrackInfo ParseTrak(ReadOnlySpan<byte> trak)
    {
        uint? trackId = null;
        uint? timescale = null;
        uint? handler = null;
        TrackInfo? track = null;
        var children = new ChildBoxes(trak, BoxType.Trak);
        while (children.MoveNext())
        {
            if (children.Type == BoxType.Tkhd)
            {
                // tkhd: version 1 has 64-bit creation and modification times before track_ID.
                var tkhd = new BoxReader(children.Body, BoxType.Tkhd);
                var (version, _) = tkhd.ReadFullBoxHeader();
                tkhd.Skip(version == 1 ? 16 : 8);
                trackId = tkhd.ReadUInt32();
            }
            else if (children.Type == BoxType.Mdia)
            {
                var mdia = new ChildBoxes(children.Body, BoxType.Mdia);
                while (mdia.MoveNext())
                {
                    if (mdia.Type == BoxType.Mdhd)
                    {
                        var mdhd = new BoxReader(mdia.Body, BoxType.Mdhd);
                        var (version, _) = mdhd.ReadFullBoxHeader();
                        mdhd.Skip(version == 1 ? 16 : 8);
                        timescale = mdhd.ReadUInt32();
                    }
                    else if (mdia.Type == BoxType.Hdlr)
                    {
                        var hdlr = new BoxReader(mdia.Body, BoxType.Hdlr);
                        hdlr.Skip(8); // version, flags, pre_defined
                        handler = hdlr.ReadUInt32();
                    }
                    // ISO/IEC 14496-12 orders tkhd before mdia, and mdhd and hdlr before minf.
                    else if (mdia.Type == BoxType.Minf && handler is { } known && timescale is { } scale && trackId is { } id)
                    {
                        track = ParseSampleEntry(FindStsd(mdia.Body), known, id, scale);
                    }
                }
            }
        }

        if (trackId is null || timescale is null || handler is null)
        {
            throw new Fmp4FormatException(Fmp4Error.MissingBox, "'trak' lacks 'tkhd', 'mdhd' or 'hdlr'");
        }

        if (timescale == 0)
        {
            throw new Fmp4FormatException(Fmp4Error.ValueOutOfRange, $"track {trackId} has timescale 0");
        }

        return track ?? throw new Fmp4FormatException(Fmp4Error.MissingBox, $"track {trackId} has no sample description");
    }

    /// <summary>trex (ISO/IEC 14496-12 §8.8.3): track_ID, default sample description index, duration, size, flags.</summary>
    private static void ParseMvex(ReadOnlySpan<byte> mvex, Dictionary<uint, TrackDefaults> defaults)
    {
        var children = new ChildBoxes(mvex, BoxType.Mvex);
        while (children.MoveNext())
        {
            if (children.Type != BoxType.Trex)
            {
                continue;
            }

            var trex = new BoxReader(children.Body, BoxType.Trex);
            trex.Skip(4); // version, flags
            var trackId = trex.ReadUInt32();
            trex.Skip(4);
            var duration = trex.ReadUInt32();
            trex.Skip(4);
            defaults[trackId] = new TrackDefaults(duration, trex.ReadUInt32());
        }
    }

    private static ReadOnlySpan<byte> FindStsd(ReadOnlySpan<byte> minf)
    {
        var minfChildren = new ChildBoxes(minf, BoxType.Minf);
        while (minfChildren.MoveNext())
        {
            if (minfChildren.Type != BoxType.Stbl)
            {
                continue;
            }

            var stbl = new ChildBoxes(minfChildren.Body, BoxType.Stbl);
            while (stbl.MoveNext())
            {
                if (stbl.Type == BoxType.Stsd)
                {
                    return stbl.Body;
                }
            }
        }

        throw new Fmp4FormatException(Fmp4Error.MissingBox, "'minf' has no 'stbl/stsd'");
    }

    /// <summary>The first sample entry of <c>stsd</c> (FFmpeg writes one per track) names the codec.</summary>
    private static TrackInfo ParseSampleEntry(ReadOnlySpan<byte> stsd, uint handler, uint trackId, uint timescale)
    {
        var reader = new BoxReader(stsd, BoxType.Stsd);
        reader.Skip(8); // version, flags, entry_count
        var entries = new ChildBoxes(reader.Rest, BoxType.Stsd);
        if (!entries.MoveNext())
        {
            throw new Fmp4FormatException(Fmp4Error.MissingBox, $"track {trackId} has an empty 'stsd'");
        }

        return (handler, entries.Type) switch
        {
            (BoxType.Vide, BoxType.Avc1 or BoxType.Avc3) => ParseAvc(entries.Body, entries.Type, trackId, timescale),
            (BoxType.Soun, BoxType.Mp4a) => ParseMp4a(entries.Body, trackId, timescale),
            (BoxType.Vide or BoxType.Soun, _) => throw new Fmp4FormatException(
                Fmp4Error.UnsupportedCodec, $"track {trackId} is '{BoxType.Name(entries.Type)}'; NIO packages H.264 and AAC"),
            _ => throw new Fmp4FormatException(Fmp4Error.UnsupportedTrack, $"track {trackId} has handler '{BoxType.Name(handler)}'"),
        };
    }

    private static VideoTrack ParseAvc(ReadOnlySpan<byte> entry, uint type, uint trackId, uint timescale)
    {
        // VisualSampleEntry (ISO/IEC 14496-12 §12.1.3): 6 reserved + data_reference_index, 16 bytes of pre_defined and
        // reserved, width(16), height(16), then 50 bytes (resolutions, frame_count, compressorname, depth) before the boxes.
        var reader = new BoxReader(entry, type);
        reader.Skip(24);
        var width = reader.ReadUInt16();
        var height = reader.ReadUInt16();
        reader.Skip(50);
        var boxes = new ChildBoxes(reader.Rest, type);
        while (boxes.MoveNext())
        {
            if (boxes.Type == BoxType.AvcC)
            {
                // AVCDecoderConfigurationRecord (ISO/IEC 14496-15 §5.3.3.1): configurationVersion, AVCProfileIndication,
                // profile_compatibility, AVCLevelIndication; RFC 6381 §3.3 prints the last three as hex.
                var avcC = new BoxReader(boxes.Body, BoxType.AvcC);
                avcC.Skip(1);
                var profile = avcC.ReadByte();
                var constraints = avcC.ReadByte();
                var level = avcC.ReadByte();
                return new VideoTrack(trackId, timescale, $"{BoxType.Name(type)}.{profile:X2}{constraints:X2}{level:X2}", width, height);
            }
        }

        throw new Fmp4FormatException(Fmp4Error.MissingBox, $"track {trackId} has no 'avcC'");
    }

    private static AudioTrack ParseMp4a(ReadOnlySpan<byte> entry, uint trackId, uint timescale)
    {
        // AudioSampleEntry (§12.2.3): 6 reserved + data_reference_index, 8 reserved, channelcount(16), samplesize(16),
        // pre_defined(16), reserved(16), samplerate(32), then the boxes. FFmpeg's mp4 muxer writes the template value 2
        // as channelcount, so the channel count comes from the AudioSpecificConfig where it can.
        var reader = new BoxReader(entry, BoxType.Mp4a);
        reader.Skip(16);
        var entryChannels = reader.ReadUInt16();
        reader.Skip(10);
        var boxes = new ChildBoxes(reader.Rest, BoxType.Mp4a);
        while (boxes.MoveNext())
        {
            if (boxes.Type == BoxType.Esds)
            {
                var (objectType, sampleRate, channels) = ReadAudioSpecificConfig(boxes.Body);
                return new AudioTrack(trackId, timescale, $"mp4a.40.{objectType}", sampleRate, channels ?? entryChannels);
            }
        }

        throw new Fmp4FormatException(Fmp4Error.MissingBox, $"track {trackId} has no 'esds'");
    }

    /// <summary>
    /// Walks ES_Descriptor → DecoderConfigDescriptor → DecoderSpecificInfo (ISO/IEC 14496-1 §7.2.6) to the
    /// AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1): audioObjectType (the N of RFC 6381's <c>mp4a.40.N</c>),
    /// samplingFrequencyIndex and channelConfiguration.
    /// </summary>
    private static (int ObjectType, int SampleRate, int? Channels) ReadAudioSpecificConfig(ReadOnlySpan<byte> esds)
    {
        var reader = new BoxReader(esds, BoxType.Esds);
        reader.Skip(4); // version, flags
        var es = ReadDescriptor(ref reader, 0x03);
        es.Skip(2); // ES_ID
        var flags = es.ReadByte();
        if ((flags & 0x80) != 0)
        {
            es.Skip(2); // dependsOn_ES_ID
        }

        if ((flags & 0x40) != 0)
        {
            es.Skip(es.ReadByte()); // URL
        }

        if ((flags & 0x20) != 0)
        {
            es.Skip(2); // OCR_ES_Id
        }

        var config = ReadDescriptor(ref es, 0x04);
        var objectTypeIndication = config.ReadByte();
        if (objectTypeIndication != 0x40)
        {
            throw new Fmp4FormatException(Fmp4Error.UnsupportedCodec, $"audio objectTypeIndication 0x{objectTypeIndication:X2} is not MPEG-4 audio");
        }

        config.Skip(12); // streamType, bufferSizeDB, maxBitrate, avgBitrate
        var specific = ReadDescriptor(ref config, 0x05);
        var bits = new BitReader(specific.Rest, BoxType.Esds);
        var objectType = bits.Read(5);
        if (objectType == 31)
        {
            objectType = 32 + bits.Read(6);
        }

        var frequencyIndex = bits.Read(4);
        var sampleRate = frequencyIndex switch
        {
            < 13 => SamplingFrequencies[frequencyIndex],
            15 => bits.Read(24),
            _ => throw new Fmp4FormatException(Fmp4Error.ValueOutOfRange, $"reserved samplingFrequencyIndex {frequencyIndex}"),
        };

        // channelConfiguration 1–6 is that many channels and 7 is 7.1; 0 defers to a program_config_element.
        var channelConfiguration = bits.Read(4);
        int? channels = channelConfiguration switch
        {
            >= 1 and <= 6 => channelConfiguration,
            7 => 8,
            _ => null,
        };
        return (objectType, sampleRate, channels);
    }

    /// <summary>Reads a descriptor's tag and its 1–4 byte expandable size (§8.3.3) and returns a reader over its body.</summary>
    private static BoxReader ReadDescriptor(ref BoxReader reader, byte expectedTag)
    {
        var tag = reader.ReadByte();
        if (tag != expectedTag)
        {
            throw new Fmp4FormatException(Fmp4Error.UnexpectedBox, $"descriptor tag 0x{tag:X2} where 0x{expectedTag:X2} belongs in 'esds'");
        }

        var size = 0;
        for (var i = 0; i < 4; i++)
        {
            var b = reader.ReadByte();
            size = (size << 7) | (b & 0x7F);
            if ((b & 0x80) == 0)
            {
                break;
            }
        }

        return new BoxReader(reader.Take(size), BoxType.Esds);
    }
}
