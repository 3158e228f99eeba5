import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { reactions, type Reaction } from '../api/chat';
import { EmojiImage } from '../ui/Emoji';
import type { ReactionBurst } from './useRoom';

/** The reaction buttons, with the room's recent taps floating up above them (CSS only). */
export function ReactionBar({ bursts, enabled, onReact }: { bursts: ReactionBurst[]; enabled: boolean; onReact: (emoji: Reaction) => Promise<string | null> }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const react = async (emoji: Reaction) => {
    const refusal = await onReact(emoji);
    setError(refusal === null ? null : refusal || t('chat.cantReach'));
  };

  return (
    <div className="chat-reactions">
      <div className="chat-bursts" aria-hidden="true">
        {bursts.map((burst) => (
          // Spread the bursts across the bar so that several at once stay readable.
          <span key={burst.key} className="chat-burst" style={{ left: `${(burst.key * 37) % 85}%` }}>
            <EmojiImage emoji={burst.emoji} label="" size="1.6em" />
            {burst.count > 1 && <small>×{burst.count}</small>}
          </span>
        ))}
      </div>
      {reactions.map((emoji) => (
        <button key={emoji} type="button" onClick={() => void react(emoji)} disabled={!enabled} aria-label={t('chat.react', { emoji })}>
          <EmojiImage emoji={emoji} label="" />
        </button>
      ))}
      {error && <p className="chat-error" role="alert">{error}</p>}
    </div>
  );
}
