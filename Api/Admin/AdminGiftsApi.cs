using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Nio.Api.Audit;
using Nio.Api.Auth;
using Nio.Api.Gifts;
using Nio.Api.Http;
using Nio.Api.Pictures;
using Nio.Shared.Storage;

namespace Nio.Api.Admin;

public sealed record GiftUpdateRequest(bool? Enabled, string? ArtworkPath, string? Reason);

public sealed record ArtworkUploaded(string ArtworkPath);

/// <summary>The gift catalog for admins under <c>/api/admin/gifts</c>: switch gifts on and off, set their artwork.</summary>
public static class AdminGiftsApi
{
    public const int MaxArtworkPathLength = 300;

    public static void MapAdminGiftsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/gifts").WithTags("Admin").RequireAuthorization(AuthSetup.AdminPolicy);
        group.MapGet("/", ListAsync);
        group.MapPatch("/{id}", UpdateAsync);
        group.MapPost("/artwork", UploadArtworkAsync);
    }

    /// <summary>
    /// Stores a picture for a gift (raw body: JPEG, PNG, WebP or GIF, at most 5 MiB, made a 256×256 WebP) and answers
    /// its <c>artworkPath</c>; no gift changes until a <c>PATCH</c> sets that path, which is the audited change.
    /// </summary>
    public static async Task<Results<Created<ArtworkUploaded>, ProblemHttpResult>> UploadArtworkAsync(
        HttpRequest request, IMediaStore store, CancellationToken cancellationToken)
    {
        var (url, problem) = await StoredPictures.StoreAsync(request, store, GiftsApi.ArtworkStoreFolder, GiftsApi.ArtworkServedPath, cancellationToken);
        return problem ?? (Results<Created<ArtworkUploaded>, ProblemHttpResult>)TypedResults.Created(url, new ArtworkUploaded(url!));
    }

    public static async Task<Ok<IReadOnlyList<AdminGift>>> ListAsync(GiftRepository gifts, CancellationToken cancellationToken) =>
        TypedResults.Ok(await gifts.AllAsync(cancellationToken));

    public static async Task<Results<Ok<AdminGift>, NotFound, ValidationProblem>> UpdateAsync(
        string id, GiftUpdateRequest request, ClaimsPrincipal admin, GiftRepository gifts, AuditLog audit, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var reason = AdminUsersApi.Reason(errors, request.Reason);
        var artwork = errors.OptionalText("artworkPath", request.ArtworkPath, MaxArtworkPathLength, allowLineBreaks: false);
        if (!string.IsNullOrEmpty(artwork) && !IsArtworkPath(artwork))
        {
            errors.Add("artworkPath", "artworkPath must be a path on this site (/gifts/rose.webp): the web app shows pictures from its own site only.");
        }

        if (request.Enabled is null && request.ArtworkPath is null)
        {
            errors.Add("enabled", "Give enabled, artworkPath or both.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (await gifts.UpdateAsync(id, request.Enabled, artwork, cancellationToken) is not var (before, after))
        {
            return TypedResults.NotFound();
        }

        await audit.RecordAsync(new AuditRecord(admin.Id(), "gift.update", "gift", id)
        {
            Reason = reason, Before = new { before.Enabled, before.ArtworkPath }, After = new { after.Enabled, after.ArtworkPath },
        }, cancellationToken);
        return TypedResults.Ok(after);
    }

    /// <summary>
    /// A path on this site, not a scheme-relative <c>//host</c>: the web app's Content Security Policy lets its pages
    /// show pictures from their own site only, and a picture from elsewhere would tell that site who watches what.
    /// </summary>
    private static bool IsArtworkPath(string path) =>
        path.StartsWith('/') && !path.StartsWith("//", StringComparison.Ordinal) && !path.Contains('\\');
}
