using Nio.Shared.Media;
using Nio.Transcoder.Live;

namespace Nio.Transcoder.Tests.Live;

/// <summary>The exact FFmpeg arguments for each kind of source: what is copied, what is encoded, and the thumbnails.</summary>
public sealed class FfmpegLadderTests
{
    private static readonly LadderOptions Options = new()
    {
        Renditions = [new("source", null, 4500, 128), new("240p", 240, 400, 64)],
    };

    private static readonly string[] Input = ["-hide_banner", "-loglevel", "warning", "-nostdin", "-analyzeduration", "1000000", "-i", "in.flv"];

    private static readonly string[] Fmp4 = ["-f", "mp4", "-movflags", "+empty_moov+default_base_moof+frag_keyframe", "-frag_duration", "210000"];

    private static readonly string[] H264 =
        ["-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-profile:v", "main", "-pix_fmt", "yuv420p", "-force_key_frames", "expr:gte(t,n_forced*1)"];

    // Sources that declare no frame rate (every source below but one): each encoded picture keeps its own time.
    private static readonly string[] OwnTimes = ["-fps_mode", "vfr"];

    private static readonly string[] Lower =
        ["-map", "0:v:0", "-map", "0:a:0?", "-vf", "scale=-2:240", .. H264, .. OwnTimes, "-b:v", "400k", "-maxrate", "400k", "-bufsize", "800k", "-c:a", "aac", "-b:a", "64k", .. Fmp4, "-y", "240p.mp4"];

    private static readonly string[] Thumbnails =
    [
        "-map", "0:v:0", "-vf", "fps=1/10:round=up,scale=320:-2:out_range=full",
        "-pix_fmt", "yuv420p", "-color_range", "pc", "-strict", "unofficial", "-c:v", "mjpeg", "-q:v", "5", "-f", "image2pipe", "-y", "thumbs.mjpeg",
    ];

    [Theory]
    [InlineData(null, "source 480p 240p")]
    [InlineData(1080, "source 480p 240p")]
    [InlineData(480, "source 480p 240p")]
    [InlineData(360, "source 240p")]
    [InlineData(144, "source")]
    public void Renditions_taller_than_the_declared_source_are_left_out(int? sourceHeight, string ladder)
    {
        List<Rendition> configured = [new("source", null, 4500, 128), new("480p", 480, 1200, 96), new("240p", 240, 400, 64)];

        var renditions = FfmpegLadder.Renditions(new SourceCodecs("avc", "aac", sourceHeight), configured);

        Assert.Equal(ladder, string.Join(' ', renditions.Select(r => r.Name)));
    }

    [Fact]
    public void H264_and_aac_are_passed_through()
    {
        Assert.Equal(
            [.. Input, "-map", "0:v:0", "-map", "0:a:0?", "-c:v", "copy", "-c:a", "copy", .. Fmp4, "-y", "source.mp4", .. Lower, .. Thumbnails],
            Build(new SourceCodecs("avc", "aac")));
    }

    [Fact]
    public void Other_video_and_audio_are_re_encoded_at_the_source_resolution()
    {
        Assert.Equal(
            [.. Input, "-map", "0:v:0", "-map", "0:a:0?", .. H264, .. OwnTimes, "-crf", "21", "-maxrate", "4500k", "-bufsize", "9000k", "-c:a", "aac", "-b:a", "128k",
                .. Fmp4, "-y", "source.mp4", .. Lower, .. Thumbnails],
            Build(new SourceCodecs("h263", "mp3")));
    }

    [Fact]
    public void H264_whose_keyframes_are_too_far_apart_is_re_encoded_with_a_keyframe_every_segment_target()
    {
        Assert.Equal(
            [.. Input, "-map", "0:v:0", "-map", "0:a:0?", .. H264, .. OwnTimes, "-crf", "21", "-maxrate", "4500k", "-bufsize", "9000k", "-c:a", "copy",
                .. Fmp4, "-y", "source.mp4", .. Lower, .. Thumbnails],
            FfmpegLadder.Arguments(
                "in.flv", new SourceCodecs("avc", "aac"), Options.Renditions, ["source.mp4", "240p.mp4"], "thumbs.mjpeg", Options, 0.25, forceSourceKeyframes: true));
    }

    [Theory]
    [InlineData("mp3")]
    [InlineData(null)]
    public void H264_video_is_copied_while_audio_that_is_not_known_aac_is_encoded(string? audio)
    {
        Assert.Equal(
            [.. Input, "-map", "0:v:0", "-map", "0:a:0?", "-c:v", "copy", "-c:a", "aac", "-b:a", "128k", .. Fmp4, "-y", "source.mp4", .. Lower, .. Thumbnails],
            Build(new SourceCodecs("avc", audio)));
    }

    [Fact]
    public void Every_rendition_needs_an_output()
    {
        Assert.Throws<ArgumentException>(() => FfmpegLadder.Arguments("in.flv", new SourceCodecs("avc", "aac"), Options.Renditions, ["source.mp4"], "thumbs.mjpeg", Options, 0.25));
    }

    [Fact]
    public void A_declared_frame_rate_is_what_the_encoders_keep_to()
    {
        // RTMP's onMetaData frame rate: FFmpeg reads it from the FLV and holds the encoded pictures to it.
        var arguments = FfmpegLadder.Arguments(
            "in.flv", new SourceCodecs("avc", "aac", FrameRate: 30), Options.Renditions, ["source.mp4", "240p.mp4"], "thumbs.mjpeg", Options, 0.2);

        Assert.Contains("libx264", arguments);
        Assert.DoesNotContain("-fps_mode", arguments);
    }

    [Theory]
    [InlineData(30.0, 0.2, "199000")]
    [InlineData(25.0, 0.2, "199000")]
    [InlineData(24.0, 0.209, "207333")]
    [InlineData(null, 0.25, "210000")]
    public void Fragments_are_cut_a_millisecond_before_the_whole_frames_of_the_part_target(double? frameRate, double partTarget, string fragment)
    {
        var arguments = FfmpegLadder.Arguments(
            "in.flv", new SourceCodecs("avc", "aac", FrameRate: frameRate), Options.Renditions, ["source.mp4", "240p.mp4"], "thumbs.mjpeg", Options, partTarget);

        Assert.All(arguments.Select((a, i) => (a, i)).Where(x => x.a == "-frag_duration"), x => Assert.Equal(fragment, arguments[x.i + 1]));
    }

    private static IReadOnlyList<string> Build(SourceCodecs source) =>
        FfmpegLadder.Arguments("in.flv", source, Options.Renditions, ["source.mp4", "240p.mp4"], "thumbs.mjpeg", Options, 0.25);
}
