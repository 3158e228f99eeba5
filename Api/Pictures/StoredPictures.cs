using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Nio.Api.Http;
using Nio.Shared.Storage;

namespace Nio.Api.Pictures;

/// <summary>
/// Uploaded pictures (avatars, gift artwork) in the media store: the raw body read with a cap, made a
/// <see cref="SquarePicture"/>, stored under the SHA-256 of the result and served from a root-relative URL that never
/// changes, so browsers may cache it for good.
/// </summary>
public static partial class StoredPictures
{
    public const int MaxUploadBytes = 5 * 1024 * 1024;

    /// <summary>The stored picture's root-relative URL (<paramref name="servedPath"/>/name), or the problem to answer.</summary>
    public static async Task<(string? Url, ProblemHttpResult? Problem)> StoreAsync(
        HttpRequest request, IMediaStore store, string folder, string servedPath, CancellationToken cancellationToken)
    {
        var contentType = request.ContentType is { } header && MediaTypeHeaderValue.TryParse(header, out var parsed)
            ? parsed.MediaType.Value?.ToLowerInvariant() : null;
        if (contentType is null || !SquarePicture.AcceptedTypes.Contains(contentType))
        {
            return (null, TypedResults.Problem($"Send the picture as the raw body with Content-Type {string.Join(", ", SquarePicture.AcceptedTypes)}.",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported picture type"));
        }

        var upload = await RequestBodies.ReadCappedAsync(request, MaxUploadBytes, cancellationToken);
        if (upload is null)
        {
            return (null, TypedResults.Problem($"A picture can be at most {MaxUploadBytes / (1024 * 1024)} MiB.",
                statusCode: StatusCodes.Status413PayloadTooLarge, title: "Picture too large"));
        }

        var picture = SquarePicture.Make(contentType, upload, out var refusal);
        if (picture is null)
        {
            return (null, TypedResults.Problem(refusal switch
            {
                PictureRefusal.NotThatType => $"The file is not a {contentType} picture.",
                PictureRefusal.TooManyPixels => $"The picture is too big: at most {SquarePicture.MaxSide} pixels a side and {SquarePicture.MaxPixels / (1024 * 1024)} megapixels.",
                _ => "The picture could not be read.",
            }, statusCode: StatusCodes.Status400BadRequest, title: "Invalid picture"));
        }

        var name = $"{Convert.ToHexStringLower(SHA256.HashData(picture))}.webp";
        await store.WriteAsync($"{folder}/{name}", picture, SquarePicture.OutputContentType, cancellationToken);
        return ($"{servedPath}/{name}", null);
    }

    /// <summary>A stored picture, cached for good: its name is its content's hash, so a new picture gets a new URL.</summary>
    public static async Task<Results<FileContentHttpResult, NotFound>> ServeAsync(
        string name, IMediaStore store, string folder, HttpResponse response, CancellationToken cancellationToken)
    {
        if (!PictureName().IsMatch(name) || await store.ReadAsync($"{folder}/{name}", cancellationToken) is not { } bytes)
        {
            return TypedResults.NotFound();
        }

        response.Headers.CacheControl = "public, max-age=31536000, immutable";
        return TypedResults.File(bytes, SquarePicture.OutputContentType);
    }

    [GeneratedRegex("^[0-9a-f]{64}\\.webp$")]
    private static partial Regex PictureName();
}
