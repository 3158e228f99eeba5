using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Nio.Api.Auth;
using Nio.Api.Pictures;
using Nio.Shared.Storage;

namespace Nio.Api.Users;

/// <summary>Avatar upload (<c>PUT /api/users/me/avatar</c>) and the avatars themselves (<c>GET /api/avatars/{name}</c>).</summary>
public static class AvatarsApi
{
    public const string ServedPath = "/api/avatars";
    private const string StoreFolder = "avatars";

    public static void MapAvatarsApi(this IEndpointRouteBuilder app)
    {
        app.MapPut("/api/users/me/avatar", UploadAsync).RequireAuthorization().WithTags("Users");
        app.MapGet($"{ServedPath}/{{name}}", GetAsync).WithTags("Users");
    }

    /// <summary>
    /// The raw body is the picture (JPEG, PNG, WebP or GIF, at most 5 MiB). It is stored as a 256×256 WebP, and the
    /// caller's <c>avatarUrl</c> becomes its root-relative URL.
    /// </summary>
    public static async Task<Results<Ok<Auth.UserView>, ProblemHttpResult, NotFound>> UploadAsync(
        HttpRequest request, ClaimsPrincipal principal, UserRepository users, IMediaStore store, CancellationToken cancellationToken)
    {
        var (url, problem) = await StoredPictures.StoreAsync(request, store, StoreFolder, ServedPath, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var user = await users.UpdateProfileAsync(principal.Id(), displayName: null, bio: null, avatarUrl: url, cancellationToken);
        return user is null ? TypedResults.NotFound() : TypedResults.Ok(Auth.UserView.From(user));
    }

    public static Task<Results<FileContentHttpResult, NotFound>> GetAsync(string name, IMediaStore store, HttpResponse response, CancellationToken cancellationToken) =>
        StoredPictures.ServeAsync(name, store, StoreFolder, response, cancellationToken);
}
