using System.Text.Json;

namespace Nio.Api.Http;

/// <summary>
/// A JSON body a route accepts but does not need (<c>{ "reason": "..." }</c> on a ban). Bound by hand, so a request
/// with no body, an empty one or one under any content type reaches the route; a body declared with
/// <c>[FromBody]</c> makes routing refuse a request that has no JSON content type before the route runs.
/// </summary>
public sealed record OptionalBody<T>(T? Value) where T : class
{
    public const int MaxBytes = 16 * 1024;

    public static async ValueTask<OptionalBody<T>?> BindAsync(HttpContext context)
    {
        var body = await RequestBodies.ReadCappedAsync(context.Request, MaxBytes, context.RequestAborted)
            ?? throw new BadHttpRequestException($"The body is larger than {MaxBytes} bytes.", StatusCodes.Status413PayloadTooLarge);
        if (body.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
        {
            return new OptionalBody<T>((T?)null);
        }

        try
        {
            return new OptionalBody<T>(JsonSerializer.Deserialize<T>(body, JsonSerializerOptions.Web));
        }
        catch (JsonException exception)
        {
            throw new BadHttpRequestException($"The body is not the JSON this route takes: {exception.Message}");
        }
    }
}
