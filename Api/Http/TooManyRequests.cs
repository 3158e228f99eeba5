using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Nio.Api.Http;

/// <summary>Every 429 the Api gives: a problem body, and <c>Retry-After</c> in whole seconds when the wait is known.</summary>
public static class TooManyRequests
{
    public static ProblemHttpResult Problem(HttpResponse response, TimeSpan? retryAfter, string detail)
    {
        if (retryAfter is { } wait)
        {
            response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        return TypedResults.Problem(detail, statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests");
    }
}
