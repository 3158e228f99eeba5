import { useLayoutEffect, useRef } from 'react';
import type { ChatLine } from './useRoom';

// Within this many pixels of the bottom the list follows new lines; further up, the reader is scrolling back.
const followPx = 48;

const timeOf = (sentAt: string) => new Date(sentAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** The room's lines, oldest first, kept scrolled to the newest unless the reader scrolled up. Text is only ever text. */
export function ChatLines({ lines }: { lines: ChatLine[] }) {
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
    <ol className="chat-lines" ref={list} onScroll={onScroll} aria-live="polite">
      {lines.map((line) => (
        <li key={line.key} className={line.system ? 'chat-line system' : 'chat-line'} data-testid="chat-line" data-kind={line.kind}>
          <time dateTime={line.sentAt}>{timeOf(line.sentAt)}</time>
          {!line.system && <strong>{line.displayName}</strong>}
          <span>{line.text}</span>
        </li>
      ))}
    </ol>
  );
}
