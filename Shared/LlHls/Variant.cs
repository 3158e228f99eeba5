namespace Nio.Shared.LlHls;

/// <summary>One rendition of the ABR ladder as the multivariant playlist lists it; bandwidths in bits per second.</summary>
public sealed record Variant(string Uri, long Bandwidth, long AverageBandwidth, int Width, int Height, string Codecs, double FrameRate);
