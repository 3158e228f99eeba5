using System.Globalization;
using System.Text;
using Nio.Api.Http;

namespace Nio.Api.Chat;

/// <summary>What a chat message may hold: the rules every message and every room's blocked-word list go through.</summary>
public static class ChatText
{
    public const int MaxLength = 500;

    /// <summary>A bound on UTF-16 units as well, so one "character" built of thousands of combining marks stays small.</summary>
    public const int MaxUtf16Length = 2_000;

    /// <summary>
    /// The message as it will be stored and shown: control characters and characters that draw nothing
    /// (<see cref="VisibleText"/>: bidirectional overrides, which could make text read backwards across the chat,
    /// zero-width characters) removed, whitespace runs kept, then trimmed. Null when nothing is left or
    /// it is longer than <see cref="MaxLength"/> characters (an emoji, with its modifiers, counts once).
    /// </summary>
    public static string? Clean(string? text, out Refusal? error)
    {
        error = null;
        if (text is null || text.Length > MaxUtf16Length * 4)
        {
            error = text is null ? Refusals.MessageEmpty() : Refusals.MessageTooLong(MaxLength);
            return null;
        }

        var kept = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsControl(rune))
            {
                // Line breaks and tabs become spaces: chat is one line per message.
                if (rune.Value is '\n' or '\r' or '\t')
                {
                    kept.Append(' ');
                }

                continue;
            }

            kept.Append(rune.ToString());
        }

        var cleaned = VisibleText.RemoveHidden(kept.ToString()).Trim();
        if (cleaned.Length == 0)
        {
            error = Refusals.MessageEmpty();
            return null;
        }

        if (cleaned.Length > MaxUtf16Length || new StringInfo(cleaned).LengthInTextElements > MaxLength)
        {
            error = Refusals.MessageTooLong(MaxLength);
            return null;
        }

        return cleaned;
    }
}
