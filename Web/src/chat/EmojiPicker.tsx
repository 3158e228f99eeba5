import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmojiImage } from '../ui/Emoji';
import { pickerEmoji } from './emojiSet';

/** A button that opens a grid of emoji; picking one inserts it into the message. Escape closes it. */
export function EmojiPicker({ onPick, disabled }: { onPick: (emoji: string) => void; disabled?: boolean }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (open) {
      panel.current?.querySelector('button')?.focus();
    }
  }, [open]);
  return (
    <div className="emoji-picker" onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
      <button type="button" aria-label={t('chat.emoji')} aria-expanded={open} aria-haspopup="true" onClick={() => setOpen(!open)} disabled={disabled}>
        <EmojiImage emoji="😀" label="" />
      </button>
      {open && (
        <div className="emoji-grid" ref={panel} role="group" aria-label={t('chat.emoji')}>
          {pickerEmoji.map((emoji) => (
            <button key={emoji} type="button" aria-label={emoji} onClick={() => { onPick(emoji); setOpen(false); }}>
              <EmojiImage emoji={emoji} label="" size="1.5em" />
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
