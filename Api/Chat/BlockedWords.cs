using System.Text.RegularExpressions;

namespace Nio.Api.Chat;

/// <summary>
/// A room's list of blocked words or phrases. A message is refused when it holds one as a whole word, in any case
/// ("ass" blocks "ASS!" but not "class").
/// </summary>
public sealed class BlockedWords
{
    public const int MaxWords = 200;
    public const int MaxWordLength = 50;

    private readonly Regex? pattern;

    public BlockedWords(IReadOnlyCollection<string> words)
    {
        Words = words;
        if (words.Count > 0)
        {
            var alternatives = string.Join('|', words.OrderByDescending(w => w.Length).Select(Regex.Escape));
            pattern = new Regex($@"(?<![\p{{L}}\p{{N}}])(?:{alternatives})(?![\p{{L}}\p{{N}}])",
                RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        }
    }

    public IReadOnlyCollection<string> Words { get; }

    public bool Blocks(string text)
    {
        try
        {
            return pattern?.IsMatch(text) ?? false;
        }
        catch (RegexMatchTimeoutException)
        {
            // A message that takes this long to check is refused rather than let through.
            return true;
        }
    }

    /// <summary>
    /// The list a moderator asked for, cleaned: each entry trimmed, empty ones and repeats dropped. Null, with the
    /// reason, when it is too long or an entry is.
    /// </summary>
    public static IReadOnlyList<string>? Normalize(IEnumerable<string?>? words, out Refusal? error)
    {
        error = null;
        var cleaned = new List<string>();
        foreach (var word in words ?? [])
        {
            var entry = ChatText.Clean(word, out _);
            if (entry is null)
            {
                continue;
            }

            if (entry.Length > MaxWordLength)
            {
                error = Refusals.BlockedWordTooLong(MaxWordLength);
                return null;
            }

            if (!cleaned.Contains(entry, StringComparer.OrdinalIgnoreCase))
            {
                cleaned.Add(entry);
            }
        }

        if (cleaned.Count > MaxWords)
        {
            error = Refusals.TooManyBlockedWords(MaxWords);
            return null;
        }

        return cleaned;
    }
}
