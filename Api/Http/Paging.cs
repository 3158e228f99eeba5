using System.Text.Json.Serialization;

namespace Nio.Api.Http;

/// <summary>The <c>?page=&amp;pageSize=</c> query every list endpoint accepts.</summary>
public readonly record struct PageQuery(int? Page, int? PageSize)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public int PageNumber => Page ?? 1;

    public int Size => PageSize ?? DefaultPageSize;

    public int Offset => (PageNumber - 1) * Size;

    public void Validate(FieldErrors errors)
    {
        if (PageNumber is < 1 or > 100_000)
        {
            errors.Add("page", "page must be between 1 and 100000.");
        }

        if (Size is < 1 or > MaxPageSize)
        {
            errors.Add("pageSize", $"pageSize must be between 1 and {MaxPageSize}.");
        }
    }
}

/// <summary>One page of a list, with the total so clients can show how many pages there are.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, [property: JsonPropertyName("page")] int PageNumber, int PageSize, long TotalCount);
