using Microsoft.AspNetCore.Http.HttpResults;
using Nio.Api.Http;
using Nio.Api.Streams;
using Nio.Api.Users;

namespace Nio.Api.Search;

public sealed record SearchResults(IReadOnlyList<StreamView> Streams, IReadOnlyList<SearchPerson> People);

/// <summary>One search box for streams (by title) and people (by display name), at <c>GET /api/search</c>.</summary>
public static class SearchApi
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 50;

    public static RouteHandlerBuilder MapSearchApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/search", SearchAsync).WithTags("Search");

    /// <summary>
    /// Case-insensitive substring search, in any script: streams that have not ended (live first) and people who are
    /// not banned, each list at most <paramref name="limit"/> long, closest matches first.
    /// </summary>
    public static async Task<Results<Ok<SearchResults>, ValidationProblem>> SearchAsync(
        string? q, int? limit, StreamRepository streams, UserRepository users, MediaUrls urls, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var query = errors.RequiredText("q", q, SearchText.MaxQueryLength);
        var size = limit ?? DefaultLimit;
        if (size is < 1 or > MaxLimit)
        {
            errors.Add("limit", $"limit must be between 1 and {MaxLimit}.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var pattern = SearchText.ContainsPattern(query!);
        var foundStreams = await streams.SearchAsync(query!, pattern, size, cancellationToken);
        var people = await users.SearchAsync(query!, pattern, size, cancellationToken);
        return TypedResults.Ok(new SearchResults(foundStreams.Select(s => StreamView.From(s, urls)).ToList(), people));
    }
}
