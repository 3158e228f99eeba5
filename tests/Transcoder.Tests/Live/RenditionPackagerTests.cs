using System.IO.Pipelines;
using Microsoft.Extensions.Logging.Abstractions;
using Nio.Shared.Storage;
using Nio.Transcoder.Live;
using Nio.Transcoder.Tests.Support;

namespace Nio.Transcoder.Tests.Live;

/// <summary>One rendition's packaging, fed real FFmpeg output through a pipe.</summary>
public sealed class RenditionPackagerTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("nio-rendition-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task Sound_that_goes_on_while_the_video_stops_waits_for_it_only_in_bounded_amounts()
    {
        var store = new LocalDiskMediaStore(root);
        var packager = new RenditionPackager(new Rendition("source", null, 4500, 128), "live/s", "b", store, new LadderOptions(), 0.25, NullLogger.Instance);
        var parts = new List<string>();
        await packager.RunAsync(
            PipeReader.Create(new MemoryStream(FfmpegSample.VideoGap)),
            (changed, _, _) =>
            {
                if (changed.Playlist!.Open?.Parts[^1].Uri is { } newest && !parts.Contains(newest))
                {
                    parts.Add(newest);
                }

                return Task.CompletedTask;
            },
            CancellationToken.None);

        // The 8 s without video hold about 40 fragments of sound; the part that comes with the video again carries
        // only the newest of them.
        var fragmentsPerPart = new List<int>();
        foreach (var part in parts)
        {
            fragmentsPerPart.Add(Fragments((await store.ReadAsync($"{packager.Folder}/{part}", default))!));
        }

        Assert.Equal(RenditionPackager.MaxFragmentsWithoutVideo + 1, fragmentsPerPart.Max());
    }

    private static int Fragments(byte[] part)
    {
        var count = 0;
        for (var offset = 0; offset < part.Length; offset += (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(part.AsSpan(offset)))
        {
            count += part.AsSpan(offset + 4, 4).SequenceEqual("moof"u8) ? 1 : 0;
        }

        return count;
    }
}
