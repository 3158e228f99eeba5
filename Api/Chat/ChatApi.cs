using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Nio.Api.Http;

namespace Nio.Api.Chat;

/// <summary>A page of chat history, oldest first; <c>nextBefore</c> fetches the page before it (null at the start).</summary>
public sealed record ChatHistory(IReadOnlyList<ChatMessage> Items, long? NextBefore);

/// <summary>Chat history for late joiners and scroll-back, under <c>/api/streams/{id}/chat</c>.</summary>
public static class ChatApi
{
    public static RouteGroupBuilder MapChatApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/streams/{id:guid}/chat").WithTags("Chat");
        group.MapGet("/", HistoryAsync);
        return group;
    }

    /// <summary>The messages before message id <paramref name="before"/> (the newest when absent), at most <paramref name="limit"/>.</summary>
    public static async Task<Results<Ok<ChatHistory>, NotFound, ValidationProblem>> HistoryAsync(
        Guid id, long? before, int? limit, ChatRepository chat, IOptions<ChatOptions> options, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var max = options.Value.HistorySize;
        if (limit is < 1 || limit > max)
        {
            errors.Add("limit", $"limit must be between 1 and {max}.");
        }

        if (before is < 1)
        {
            errors.Add("before", "before must be a message id.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (await chat.GetRoomAsync(id, cancellationToken) is null)
        {
            return TypedResults.NotFound();
        }

        var size = limit ?? max;
        var items = await chat.HistoryAsync(id, before, size, cancellationToken);
        return TypedResults.Ok(new ChatHistory(items, items.Count == size ? items[0].Id : null));
    }
}
