using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Nio.Api.Auth;
using Nio.Api.Http;

namespace Nio.Api.Users;

/// <summary>Fields left out (null) stay as they are; an empty bio or avatar URL clears it.</summary>
public sealed record UpdateProfileRequest(string? DisplayName, string? Bio, string? AvatarUrl);

/// <summary>Profiles and follows under <c>/api/users</c>.</summary>
public static class UsersApi
{
    public const int MaxBioLength = 500;
    public const int MaxAvatarUrlLength = 2048;

    public static RouteGroupBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/users").WithTags("Users");
        group.MapPatch("/me", UpdateMeAsync).RequireAuthorization();
        group.MapGet("/me/following", ListFollowingAsync).RequireAuthorization();
        group.MapGet("/{id:guid}", GetProfileAsync);
        group.MapPut("/{id:guid}/follow", FollowAsync).RequireAuthorization();
        group.MapDelete("/{id:guid}/follow", UnfollowAsync).RequireAuthorization();
        return group;
    }

    public static async Task<Results<Ok<UserView>, ValidationProblem, NotFound>> UpdateMeAsync(
        UpdateProfileRequest request, ClaimsPrincipal principal, UserRepository users, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var displayName = request.DisplayName is null ? null : errors.RequiredText("displayName", request.DisplayName, AuthApi.MaxDisplayNameLength);
        var bio = errors.OptionalText("bio", request.Bio, MaxBioLength, allowLineBreaks: true);
        var avatarUrl = errors.OptionalText("avatarUrl", request.AvatarUrl, MaxAvatarUrlLength, allowLineBreaks: false);
        if (avatarUrl is { Length: > 0 } &&
            !(Uri.TryCreate(avatarUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)))
        {
            errors.Add("avatarUrl", "avatarUrl must be an absolute http or https URL.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var user = await users.UpdateProfileAsync(principal.Id(), displayName, bio, avatarUrl, cancellationToken);
        return user is null ? TypedResults.NotFound() : TypedResults.Ok(UserView.From(user));
    }

    /// <summary>Anyone may ask; a valid access token, when sent, fills in <c>followedByMe</c>.</summary>
    public static async Task<Results<Ok<PublicProfile>, NotFound>> GetProfileAsync(
        Guid id, ClaimsPrincipal principal, UserRepository users, CancellationToken cancellationToken)
    {
        var viewerId = principal.Identity?.IsAuthenticated == true ? principal.Id() : (Guid?)null;
        var profile = await users.GetProfileAsync(id, viewerId, cancellationToken);
        return profile is null ? TypedResults.NotFound() : TypedResults.Ok(profile);
    }

    public static async Task<Results<NoContent, NotFound, ValidationProblem>> FollowAsync(
        Guid id, ClaimsPrincipal principal, UserRepository users, CancellationToken cancellationToken)
    {
        if (id == principal.Id())
        {
            var errors = new FieldErrors();
            errors.Add("id", "You cannot follow yourself.");
            return errors.ToProblem();
        }

        return await users.FollowAsync(principal.Id(), id, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();
    }

    public static async Task<NoContent> UnfollowAsync(Guid id, ClaimsPrincipal principal, UserRepository users, CancellationToken cancellationToken)
    {
        await users.UnfollowAsync(principal.Id(), id, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<Page<PublicProfile>>, ValidationProblem>> ListFollowingAsync(
        [AsParameters] PageQuery page, ClaimsPrincipal principal, UserRepository users, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        page.Validate(errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        return TypedResults.Ok(await users.ListFollowingAsync(principal.Id(), page, cancellationToken));
    }
}
