namespace Nio.Shared.Media;

/// <summary>
/// What the Ingest measured of a live stream's incoming media, sent with its live heartbeat
/// (<c>POST /api/ingest/streams/{id}/live</c>, field <c>health</c>).
/// </summary>
/// <param name="SecondsSinceLastMedia">How long before the report the last audio or video message arrived; null before any.</param>
/// <param name="Video">Null until a video message arrived.</param>
/// <param name="Audio">Null until an audio message arrived.</param>
public sealed record StreamHealthReport(double? SecondsSinceLastMedia, VideoHealth? Video, AudioHealth? Audio);

/// <summary>The video track as received: codec details from its decoder configuration, rates measured from its frames.</summary>
/// <param name="Codec">For example <c>H.264</c>; an Enhanced RTMP FourCC or FLV codec name for others.</param>
/// <param name="Profile">For example <c>High</c>; null when the codec configuration was not (yet) understood.</param>
/// <param name="Level">For example <c>3.1</c>.</param>
/// <param name="Width">Coded picture width after cropping, in samples (the sample aspect ratio is not applied).</param>
/// <param name="Height">Coded picture height after cropping.</param>
/// <param name="FrameRate">Frames per second over the last few seconds of timestamps.</param>
/// <param name="BitrateKbps">Video payload kilobits per second over the last few seconds.</param>
/// <param name="KeyframeIntervalSeconds">Seconds between the last two keyframes, or since the last one when that is longer.</param>
public sealed record VideoHealth(
    string Codec, string? Profile, string? Level, int? Width, int? Height, double? FrameRate, double? BitrateKbps, double? KeyframeIntervalSeconds);

/// <summary>The audio track as received.</summary>
/// <param name="Codec">For example <c>AAC-LC</c>, <c>MP3</c>.</param>
/// <param name="SampleRate">Hz, from the AAC AudioSpecificConfig or the FLV audio header.</param>
/// <param name="Channels">1 mono, 2 stereo, …; null when the configuration does not say.</param>
/// <param name="BitrateKbps">Audio payload kilobits per second over the last few seconds.</param>
public sealed record AudioHealth(string Codec, int? SampleRate, int? Channels, double? BitrateKbps);
