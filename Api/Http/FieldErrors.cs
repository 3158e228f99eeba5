using Microsoft.AspNetCore.Http.HttpResults;

namespace Nio.Api.Http;

/// <summary>Collects field-level messages for one request and turns them into an RFC 7807 validation problem.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);

    public bool Any => errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!errors.TryGetValue(field, out var messages))
        {
            errors[field] = messages = [];
        }

        messages.Add(message);
    }

    public ValidationProblem ToProblem() =>
        TypedResults.ValidationProblem(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));

    /// <summary>
    /// Trims a required single-line text field and checks its length in characters (an emoji counts once).
    /// Returns null, with a message recorded, when it is missing, empty, too long, or holds control characters or
    /// characters that draw nothing (<see cref="VisibleText"/>).
    /// </summary>
    public string? RequiredText(string field, string? value, int maxLength)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            Add(field, $"{field} is required.");
            return null;
        }

        return CheckedText(field, trimmed, maxLength, allowLineBreaks: false);
    }

    /// <summary>Like <see cref="RequiredText"/> but empty is allowed; line breaks are kept when asked for.</summary>
    public string? OptionalText(string field, string? value, int maxLength, bool allowLineBreaks) =>
        value is null ? null : CheckedText(field, value.Trim(), maxLength, allowLineBreaks);

    private string? CheckedText(string field, string value, int maxLength, bool allowLineBreaks)
    {
        var ok = true;
        if (value.EnumerateRunes().Count() > maxLength)
        {
            Add(field, $"{field} must be at most {maxLength} characters.");
            ok = false;
        }

        if (value.Any(c => char.IsControl(c) && !(allowLineBreaks && c is '\n' or '\r' or '\t')))
        {
            Add(field, $"{field} must not contain control characters.");
            ok = false;
        }

        if (VisibleText.FirstHidden(value) is { } hidden)
        {
            Add(field, $"{field} must not contain invisible or text-direction characters (found U+{hidden.Value:X4}).");
            ok = false;
        }

        return ok ? value : null;
    }
}
