using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Nio.Api.Auth;
using Nio.Api.Http;
using Nio.Shared.Storage;

namespace Nio.Api.Users;

/// <summary>Avatar upload (<c>PUT /api/users/me/avatar</c>) and the avatars themselves (<c>GET /api/avatars/{name}</c>).</summary>
public static partial class AvatarsApi
{
    public const int MaxUploadBytes = 5 * 1024 * 1024;
    public const string ServedPath = "/api/avatars";
    private const string StoreFolder = "avatars";

    public static void MapAvatarsApi(this IEndpointRouteBuilder app)
    {
        app.MapPut("/api/users/me/avatar", UploadAsync).RequireAuthorization().WithTags("Users");
        app.MapGet($"{ServedPath}/{{name}}", GetAsync).WithTags("Users");
    }

    /// <summary>
    /// The raw body is the picture (JPEG, PNG, WebP or GIF, at most 5 MiB). It is stored as a 256×256 WebP under the
    /// SHA-256 of its bytes, and the caller's <c>avatarUrl</c> becomes its root-relative URL.
    /// </summary>
    public static async Task<Results<Ok<Auth.UserView>, ProblemHttpResult, NotFound>> UploadAsync(
        HttpRequest request, ClaimsPrincipal principal, UserRepository users, IMediaStore store, CancellationToken cancellationToken)
    {
        var contentType = request.ContentType is { } header && MediaTypeHeaderValue.TryParse(header, out var parsed)
            ? parsed.MediaType.Value?.ToLowerInvariant() : null;
        if (contentType is null || !AvatarImage.AcceptedTypes.Contains(contentType))
        {
            return TypedResults.Problem($"Send the picture as the raw body with Content-Type {string.Join(", ", AvatarImage.AcceptedTypes)}.",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported picture type");
        }

        var upload = await RequestBodies.ReadCappedAsync(request, MaxUploadBytes, cancellationToken);
        if (upload is null)
        {
            return TypedResults.Problem($"An avatar picture can be at most {MaxUploadBytes / (1024 * 1024)} MiB.",
                statusCode: StatusCodes.Status413PayloadTooLarge, title: "Picture too large");
        }

        var avatar = AvatarImage.Make(contentType, upload, out var refusal);
        if (avatar is null)
        {
            return TypedResults.Problem(refusal switch
            {
                AvatarRefusal.NotThatType => $"The file is not a {contentType} picture.",
                AvatarRefusal.TooManyPixels => $"The picture is too big: at most {AvatarImage.MaxSide} pixels a side and {AvatarImage.MaxPixels / (1024 * 1024)} megapixels.",
                _ => "The picture could not be read.",
            }, statusCode: StatusCodes.Status400BadRequest, title: "Invalid picture");
        }

        var name = $"{Convert.ToHexStringLower(SHA256.HashData(avatar))}.webp";
        await store.WriteAsync($"{StoreFolder}/{name}", avatar, AvatarImage.OutputContentType, cancellationToken);
        var user = await users.UpdateProfileAsync(principal.Id(), displayName: null, bio: null, avatarUrl: $"{ServedPath}/{name}", cancellationToken);
        return user is null ? TypedResults.NotFound() : TypedResults.Ok(Auth.UserView.From(user));
    }

    /// <summary>An avatar, cached for good: its name is its content's hash, so a new picture gets a new URL.</summary>
    public static async Task<Results<FileContentHttpResult, NotFound>> GetAsync(
        string name, IMediaStore store, HttpResponse response, CancellationToken cancellationToken)
    {
        if (!AvatarName().IsMatch(name))
        {
            return TypedResults.NotFound();
        }

        var bytes = await store.ReadAsync($"{StoreFolder}/{name}", cancellationToken);
        if (bytes is null)
        {
            return TypedResults.NotFound();
        }

        response.Headers.CacheControl = "public, max-age=31536000, immutable";
        return TypedResults.File(bytes, AvatarImage.OutputContentType);
    }

    [GeneratedRegex("^[0-9a-f]{64}\\.webp$")]
    private static partial Regex AvatarName();
}
