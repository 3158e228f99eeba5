import { useLayoutEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../i18n/format';
import { EmojiText } from '../ui/Emoji';
import { LineMenu, type Moderation } from './LineMenu';
import { systemText } from './roomText';
import type { ChatLine } from './useRoom';

// Within this many pixels of the bottom the list follows new lines; further up, the reader is scrolling back.
const followPx = 48;

/** The room's lines, oldest first, kept scrolled to the newest unless the reader scrolled up. Text is only ever text. */
export function ChatLines({ lines, moderation }: { lines: ChatLine[]; moderation: Moderation | null }) {
  const { t } = useTranslation();
  const format = useFormat();
  const list = useRef<HTMLOListElement>(null);
  const following = useRef(true);

  useLayoutEffect(() => {
    const element = list.current;
    if (element && following.current) {
      element.scrollTop = element.scrollHeight;
    }
  }, [lines]);

  const onScroll = () => {
    const element = list.current;
    if (element) {
      following.current = element.scrollHeight - element.scrollTop - element.clientHeight < followPx;
    }
  };

  return (
    <ol className="chat-lines" ref={list} onScroll={onScroll} aria-live="polite" tabIndex={0}>
      {lines.map((line) => (
        <li key={line.key} className={`chat-line ${line.system ? 'system' : ''} ${line.kind}`} data-testid="chat-line" data-kind={line.kind} data-message-id={line.id ?? undefined}>
          <time dateTime={line.sentAt}>{format.time(line.sentAt)}</time>
          {!line.system && <strong>{line.displayName}</strong>}
          <span className="chat-text">
            <EmojiText text={line.system ? systemText(line, t, format) : line.text} />
          </span>
          {moderation && !line.system && line.userId && <LineMenu line={line} moderation={moderation} />}
        </li>
      ))}
    </ol>
  );
}
