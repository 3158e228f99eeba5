using System.Globalization;
using System.Text;

namespace Nio.Api.Http;

/// <summary>
/// Characters that draw nothing yet change what readers see: bidirectional embeddings, overrides, isolates and marks
/// (<c>Ann</c> U+202E <c>gnp.exe</c> shows as "Annexe.png"), zero-width spaces and joiners (<c>ad</c> U+200B
/// <c>min</c> passes for "admin"), the byte order mark, soft hyphens, tag characters — the Unicode format category,
/// Cf — and line and paragraph separators and the blank "letters" of empty-looking names (Hangul fillers, the blank
/// braille pattern). The one rule for every text field people type and others read.
/// <para>
/// Joiners are kept where they shape what is drawn: a zero-width joiner between two emoji (woman + ZWJ + laptop is one
/// "technologist" emoji), a zero-width joiner or non-joiner between letters of the scripts that need them (Persian,
/// Arabic, the Indic scripts, Myanmar, Khmer, Mongolian), and the tag characters of a subdivision flag (black flag,
/// tags "gbsct", cancel tag: Scotland). Between Latin, Greek or Cyrillic letters they change nothing visible and only
/// make one name pass for another.
/// </para>
/// </summary>
public static class VisibleText
{
    private const int ZeroWidthNonJoiner = 0x200C;
    private const int ZeroWidthJoiner = 0x200D;
    private const int EmojiPresentation = 0xFE0F;
    private const int BlackFlag = 0x1F3F4;
    private const int CancelTag = 0xE007F;

    // Blocks of the scripts whose letters join or form conjuncts, where ZWJ and ZWNJ choose the shape.
    private static readonly (int First, int Last)[] JoiningScripts =
    [
        (0x0600, 0x08FF), // Arabic, Syriac, Thaana, NKo and their supplements
        (0x0900, 0x0DFF), // Devanagari to Sinhala
        (0x0F00, 0x109F), // Tibetan, Myanmar
        (0x1780, 0x18AF), // Khmer, Mongolian
        (0xA8E0, 0xA8FF), // Devanagari Extended
        (0xFB50, 0xFDFF), // Arabic presentation forms A
        (0xFE70, 0xFEFE), // Arabic presentation forms B
    ];

    /// <summary>The first character of <paramref name="text"/> that draws nothing, or null when there is none.</summary>
    public static Rune? FirstHidden(string text)
    {
        var runes = text.EnumerateRunes().ToArray();
        for (var i = 0; i < runes.Length; i++)
        {
            if (IsHidden(runes, i))
            {
                return runes[i];
            }
        }

        return null;
    }

    /// <summary><paramref name="text"/> without the characters that draw nothing, the rest in order.</summary>
    public static string RemoveHidden(string text)
    {
        var runes = text.EnumerateRunes().ToArray();
        var kept = new StringBuilder(text.Length);
        for (var i = 0; i < runes.Length; i++)
        {
            if (!IsHidden(runes, i))
            {
                kept.Append(runes[i].ToString());
            }
        }

        return kept.ToString();
    }

    private static bool IsHidden(Rune[] runes, int i)
    {
        var rune = runes[i];
        if (rune.Value is 0x115F or 0x1160 or 0x3164 or 0xFFA0 or 0x2800)
        {
            return true;
        }

        if (Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator))
        {
            return false;
        }

        var before = i > 0 ? runes[i - 1] : (Rune?)null;
        var after = i + 1 < runes.Length ? runes[i + 1] : (Rune?)null;
        return rune.Value switch
        {
            ZeroWidthJoiner => !(JoinsEmoji(runes, i) || JoinsLetters(before, after)),
            ZeroWidthNonJoiner => !JoinsLetters(before, after),
            >= 0xE0020 and <= CancelTag => !InFlagTagSequence(runes, i),
            _ => true,
        };
    }

    // An emoji (after its skin tone or emoji-presentation selector, if any) on the left, another on the right.
    private static bool JoinsEmoji(Rune[] runes, int joiner)
    {
        var left = joiner - 1;
        while (left >= 0 && (runes[left].Value is EmojiPresentation or >= 0x1F3FB and <= 0x1F3FF))
        {
            left--;
        }

        return left >= 0 && joiner + 1 < runes.Length
            && Rune.GetUnicodeCategory(runes[left]) == UnicodeCategory.OtherSymbol
            && Rune.GetUnicodeCategory(runes[joiner + 1]) == UnicodeCategory.OtherSymbol;
    }

    private static bool JoinsLetters(Rune? before, Rune? after) => before is { } b && after is { } a && IsJoiningLetter(b) && IsJoiningLetter(a);

    private static bool IsJoiningLetter(Rune rune) =>
        (Rune.IsLetter(rune) || Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark)
        && JoiningScripts.Any(block => rune.Value >= block.First && rune.Value <= block.Last);

    // A black flag, tag letters, then the cancel tag: the flag of a subdivision (England, Scotland, Wales).
    private static bool InFlagTagSequence(Rune[] runes, int tag)
    {
        var start = tag;
        while (start > 0 && runes[start - 1].Value is >= 0xE0020 and < CancelTag)
        {
            start--;
        }

        var end = tag;
        while (end < runes.Length && runes[end].Value is >= 0xE0020 and < CancelTag)
        {
            end++;
        }

        return start > 0 && runes[start - 1].Value == BlackFlag && end > start && end < runes.Length && runes[end].Value == CancelTag;
    }
}
