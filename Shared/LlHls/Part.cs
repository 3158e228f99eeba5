namespace Nio.Shared.LlHls;

/// <summary>A partial segment (EXT-X-PART): one CMAF chunk, stored under <see cref="Uri"/>.</summary>
public sealed record Part(string Uri, double Duration, bool Independent, int ByteLength);
