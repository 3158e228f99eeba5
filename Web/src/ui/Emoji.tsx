import { Fragment } from 'react';

// Emoji presentation sequences, keycaps, flags and ZWJ sequences: one match per emoji as a person sees it.
const emojiPattern = /(?:\p{RI}\p{RI}|[#*0-9]\uFE0F?\u20E3|\p{Extended_Pictographic}(?:\uFE0F|\p{EMod})?(?:\u200D\p{Extended_Pictographic}(?:\uFE0F|\p{EMod})?)*)/gu;

/** The artwork file of an emoji (Twemoji's naming: code points in hex, the variation selector dropped unless joined). */
export function emojiFile(emoji: string): string {
  const points = [...emoji].map((c) => c.codePointAt(0)!.toString(16));
  const joined = emoji.includes('\u200D');
  return `/emoji/${points.filter((p) => joined || p !== 'fe0f').join('-')}.svg`;
}

/**
 * One emoji as the app's own artwork, the same on every device; `label` names it for screen readers. `src` replaces
 * the emoji's artwork with a picture of its own (a gift's artwork set by operators); the emoji stays the fallback.
 */
export function EmojiImage({ emoji, label, size = '1.25em', src }: { emoji: string; label?: string; size?: string; src?: string | null }) {
  return (
    <img
      className="emoji"
      src={src || emojiFile(emoji)}
      alt={label ?? emoji}
      aria-hidden={label === '' ? true : undefined}
      draggable={false}
      style={{ width: size, height: size }}
      // A gift's own picture may be gone: show its emoji's artwork. Artwork for a rare emoji may be missing: fall
      // back to the system's own glyph.
      onError={(event) => {
        const image = event.currentTarget;
        const fallback = emojiFile(emoji);
        if (src && !image.src.endsWith(fallback)) {
          image.src = fallback;
        } else {
          image.replaceWith(document.createTextNode(emoji));
        }
      }}
    />
  );
}

/** Text with every emoji in it drawn as artwork; everything else stays plain text (never HTML). */
export function EmojiText({ text }: { text: string }) {
  const parts: (string | { emoji: string })[] = [];
  let last = 0;
  for (const match of text.matchAll(emojiPattern)) {
    if (match.index > last) {
      parts.push(text.slice(last, match.index));
    }
    parts.push({ emoji: match[0] });
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return (
    <>
      {parts.map((part, i) => (
        <Fragment key={i}>{typeof part === 'string' ? part : <EmojiImage emoji={part.emoji} />}</Fragment>
      ))}
    </>
  );
}
