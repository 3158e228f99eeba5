using System.Buffers;
using System.Buffers.Binary;
using Nio.Ingest.Buffers;
using Nio.Ingest.Flv;
using Nio.Ingest.Matroska;
using Nio.Ingest.Media;
using Nio.Ingest.Streams;

namespace Nio.TestSupport;

/// <summary>
/// H.264 and Opus access units as a WebRTC (WHIP) publisher delivers them, made by real encoders: x264 at 30 fps with
/// a keyframe every second, libopus 48 kHz stereo in 20 ms frames. The H.264 comes out of FFmpeg's FLV through the
/// Ingest's FLV reader, the Opus packets out of an Ogg file.
/// </summary>
public sealed class WebRtcLikeSource : IDisposable
{
    private WebRtcLikeSource(TrackFormat video, TrackFormat audio, List<AccessUnit> units)
    {
        Video = video;
        Audio = audio;
        Units = units;
    }

    public TrackFormat Video { get; }

    public TrackFormat Audio { get; }

    /// <summary>Both tracks' units in timestamp order.</summary>
    public List<AccessUnit> Units { get; }

    /// <param name="captureJitter">
    /// Whether the pictures' times wander by up to ±12 ms around 30 a second, as a browser's capture times do (its RTP
    /// timestamps come from them), instead of keeping FFmpeg's even 33/34 ms steps.
    /// </param>
    public static async Task<WebRtcLikeSource> MakeAsync(int seconds, int height = 240, bool captureJitter = false)
    {
        var folder = Directory.CreateTempSubdirectory("nio-webrtc-like-").FullName;
        try
        {
            var flv = Path.Combine(folder, "video.flv");
            var ogg = Path.Combine(folder, "audio.ogg");
            var duration = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var (videoExit, _, videoError) = await TestHost.RunAsync("ffmpeg",
            [
                "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", $"testsrc2=size={height * 16 / 9 / 2 * 2}x{height}:rate=30", "-t", duration,
                "-c:v", "libx264", "-preset", "ultrafast", "-profile:v", "baseline", "-g", "30", "-pix_fmt", "yuv420p", "-an", "-f", "flv", flv,
            ]);
            Assert.True(videoExit == 0, videoError);
            var (audioExit, _, audioError) = await TestHost.RunAsync("ffmpeg",
            [
                "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-ac", "2", "-t", duration,
                "-c:a", "libopus", "-frame_duration", "20", "-f", "ogg", ogg,
            ]);
            Assert.True(audioExit == 0, audioError);

            var video = new Collected();
            var reader = new FlvTagReader(video);
            foreach (var (type, timestamp, body) in FlvTags(await File.ReadAllBytesAsync(flv)))
            {
                var buffer = PooledBuffer.CopyOf(body);
                reader.Read(type, timestamp, buffer);
                buffer.Release();
            }

            if (captureJitter)
            {
                for (var i = 0; i < video.Units.Count; i++)
                {
                    var unit = video.Units[i];
                    var shift = ((i * 7919 % 25) - 12) * MediaClock.TicksPerMillisecond;
                    video.Units[i] = new AccessUnit(unit.Format, unit.Timestamp + shift, unit.CompositionOffset, unit.Keyframe, PooledBuffer.CopyOf(unit.Data), 0);
                    unit.Release();
                }
            }

            var audio = TrackFormat.Opus(2);
            // The first two packets are the OpusHead and OpusTags headers (RFC 7845 §3); then 20 ms, 1,800 ticks, each.
            var sounds = OggPackets(await File.ReadAllBytesAsync(ogg)).Skip(2)
                .Select((packet, i) => new AccessUnit(audio, video.Units[0].Timestamp + i * 1800L, 0, true, PooledBuffer.CopyOf(packet), 0));
            return new WebRtcLikeSource(video.Format!, audio, [.. video.Units.Concat(sounds).OrderBy(unit => unit.Timestamp)]);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The units as the Ingest serves them in Matroska, written through a live stream as a reader joining at the start gets them.</summary>
    public byte[] Matroska()
    {
        var stream = new LiveStream(Guid.NewGuid());
        stream.SetFormat(Video);
        stream.SetFormat(Audio);
        using var subscription = stream.Subscribe();
        var output = new ArrayBufferWriter<byte>();
        var writer = new MatroskaWriter(output);
        writer.Begin(subscription);
        foreach (var unit in Units)
        {
            stream.Write(unit);
            Assert.True(subscription.Live.TryRead(out var relayed));
            writer.Write(relayed);
            relayed.Release();
        }

        return output.WrittenSpan.ToArray();
    }

    public void Dispose()
    {
        foreach (var unit in Units)
        {
            unit.Release();
        }
    }

    private static IEnumerable<(byte Type, uint Timestamp, byte[] Body)> FlvTags(byte[] flv)
    {
        // File header (9 bytes) and PreviousTagSize0, then tags (FLV spec v10 §E.4.1).
        for (var offset = 13; offset + 11 <= flv.Length;)
        {
            var size = (int)(BinaryPrimitives.ReadUInt32BigEndian(flv.AsSpan(offset)) & 0xFFFFFF);
            var timestamp = (uint)(flv[offset + 4] << 16 | flv[offset + 5] << 8 | flv[offset + 6] | flv[offset + 7] << 24);
            yield return (flv[offset], timestamp, flv.AsSpan(offset + 11, size).ToArray());
            offset += 11 + size + 4;
        }
    }

    /// <summary>The packets of an Ogg stream (RFC 3533 §6): pages of lacing values, a packet ending at a value below 255.</summary>
    private static List<byte[]> OggPackets(byte[] ogg)
    {
        var packets = new List<byte[]>();
        var packet = new List<byte>();
        for (var offset = 0; offset + 27 <= ogg.Length;)
        {
            var segments = ogg[offset + 26];
            var data = offset + 27 + segments;
            for (var i = 0; i < segments; i++)
            {
                var lacing = ogg[offset + 27 + i];
                packet.AddRange(ogg.AsSpan(data, lacing));
                data += lacing;
                if (lacing < 255)
                {
                    packets.Add([.. packet]);
                    packet.Clear();
                }
            }

            offset = data;
        }

        return packets;
    }

    private sealed class Collected : IMediaSink
    {
        public TrackFormat? Format { get; private set; }

        public List<AccessUnit> Units { get; } = [];

        public void SetFormat(TrackFormat format) => Format = format;

        public void Write(AccessUnit unit) => Units.Add(unit.Retain());

        public void Declare(PublisherMetadata metadata)
        {
        }
    }
}
