import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { EmojiPicker } from './EmojiPicker';

// The hub allows 500 characters (an emoji counts once) and says so beyond; the box stops at the hub's UTF-16 cap.
const maxUtf16Length = 2000;

/** The message box with its emoji picker; shows the hub's reason when it refuses a message and keeps the text. */
export function Composer({ enabled, onSend }: { enabled: boolean; onSend: (text: string) => Promise<string | null> }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim() || sending) {
      return;
    }
    setSending(true);
    const refusal = await onSend(text);
    setSending(false);
    setError(refusal === null ? null : refusal || t('chat.cantReach'));
    if (refusal === null) {
      setText('');
    }
  };

  const insert = (emoji: string) => {
    const element = input.current;
    const at = element?.selectionStart ?? text.length;
    setText(text.slice(0, at) + emoji + text.slice(element?.selectionEnd ?? at));
    element?.focus();
  };

  return (
    <form className="chat-composer" onSubmit={submit}>
      {error && (
        <p className="chat-error" role="alert">
          {error}
        </p>
      )}
      <div className="composer-row">
        <EmojiPicker onPick={insert} disabled={!enabled} />
        <input
          ref={input}
          value={text}
          onChange={(e) => setText(e.target.value)}
          maxLength={maxUtf16Length}
          placeholder={t('chat.placeholder')}
          aria-label={t('chat.message')}
          disabled={!enabled}
          enterKeyHint="send"
        />
        <button type="submit" className="primary" disabled={!enabled || sending || !text.trim()}>
          {t('chat.send')}
        </button>
      </div>
    </form>
  );
}
