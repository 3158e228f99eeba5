import { useState, type FormEvent } from 'react';

// The hub allows 500 characters (an emoji counts once) and says so beyond; the box stops at the hub's UTF-16 cap.
const maxUtf16Length = 2000;

/** The message box; shows the hub's reason when it refuses a message, and keeps the text so it can be fixed. */
export function Composer({ enabled, onSend }: { enabled: boolean; onSend: (text: string) => Promise<string | null> }) {
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim() || sending) {
      return;
    }
    setSending(true);
    const refusal = await onSend(text);
    setSending(false);
    setError(refusal);
    if (refusal === null) {
      setText('');
    }
  };

  return (
    <form className="chat-composer" onSubmit={submit}>
      {error && (
        <p className="chat-error" role="alert">
          {error}
        </p>
      )}
      <input
        value={text}
        onChange={(e) => setText(e.target.value)}
        maxLength={maxUtf16Length}
        placeholder="Say something…"
        aria-label="Chat message"
        disabled={!enabled}
      />
      <button type="submit" disabled={!enabled || sending || !text.trim()}>
        Send
      </button>
    </form>
  );
}
