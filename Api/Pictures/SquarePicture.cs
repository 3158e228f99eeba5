using SkiaSharp;

namespace Nio.Api.Pictures;

public enum PictureRefusal
{
    None,
    /// <summary>The bytes do not start like an image of the declared type.</summary>
    NotThatType,
    /// <summary>The bytes start like one but do not decode.</summary>
    Undecodable,
    /// <summary>More pixels than a 256×256 picture needs; refused before decoding them.</summary>
    TooManyPixels,
}

/// <summary>
/// Turns an uploaded picture (an avatar, a gift's artwork) into what everyone is shown: a 256×256 WebP of its centred
/// square. The declared type
/// must match the file's first bytes, and the file must decode; the picture's size is read from its header and
/// capped before any pixel is decoded, so a small file that claims a huge picture cannot take the memory.
/// </summary>
public static class SquarePicture
{
    public const int Size = 256;
    public const string OutputContentType = "image/webp";
    public const int MaxSide = 8192;
    public const long MaxPixels = 32L * 1024 * 1024;

    public static readonly IReadOnlyList<string> AcceptedTypes = ["image/jpeg", "image/png", "image/webp", "image/gif"];

    /// <summary>Whether the bytes carry the signature of <paramref name="contentType"/> (one of <see cref="AcceptedTypes"/>).</summary>
    public static bool HasSignatureOf(string contentType, ReadOnlySpan<byte> bytes) => contentType switch
    {
        "image/jpeg" => bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]),
        "image/png" => bytes.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]),
        "image/gif" => bytes.StartsWith("GIF87a"u8) || bytes.StartsWith("GIF89a"u8),
        "image/webp" => bytes.Length >= 12 && bytes.StartsWith("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8),
        _ => false,
    };

    /// <summary>The picture as WebP, or null with the reason the upload is refused.</summary>
    public static byte[]? Make(string contentType, byte[] upload, out PictureRefusal refusal)
    {
        if (!HasSignatureOf(contentType, upload))
        {
            refusal = PictureRefusal.NotThatType;
            return null;
        }

        using var codec = SKCodec.Create(new SKMemoryStream(upload), out var result);
        if (codec is null || result != SKCodecResult.Success)
        {
            refusal = PictureRefusal.Undecodable;
            return null;
        }

        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width is < 1 or > MaxSide || height is < 1 or > MaxSide || (long)width * height > MaxPixels)
        {
            refusal = PictureRefusal.TooManyPixels;
            return null;
        }

        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        // A truncated file decodes partly (IncompleteInput): refused like one that does not decode at all.
        if (codec.GetPixels(bitmap.Info, bitmap.GetPixels()) != SKCodecResult.Success)
        {
            refusal = PictureRefusal.Undecodable;
            return null;
        }

        var side = Math.Min(width, height);
        var source = SKRect.Create((width - side) / 2f, (height - side) / 2f, side, side);
        using var surface = SKSurface.Create(new SKImageInfo(Size, Size, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException("Could not make a drawing surface.");
        using (var image = SKImage.FromBitmap(bitmap))
        {
            surface.Canvas.Clear(SKColors.Transparent);
            surface.Canvas.DrawImage(image, source, SKRect.Create(Size, Size), new SKSamplingOptions(SKCubicResampler.Mitchell));
        }

        using var snapshot = surface.Snapshot();
        using var encoded = snapshot.Encode(SKEncodedImageFormat.Webp, 85)
            ?? throw new InvalidOperationException("Could not encode the picture.");
        refusal = PictureRefusal.None;
        return encoded.ToArray();
    }
}
