import { useState } from 'react';
import { reactions, type Reaction } from '../api/chat';
import type { ReactionBurst } from './useRoom';

/** The reaction buttons, with the room's recent taps floating up above them (CSS only). */
export function ReactionBar({ bursts, enabled, onReact }: { bursts: ReactionBurst[]; enabled: boolean; onReact: (emoji: Reaction) => Promise<string | null> }) {
  const [error, setError] = useState<string | null>(null);
  const react = async (emoji: Reaction) => setError(await onReact(emoji));

  return (
    <div className="chat-reactions">
      <div className="chat-bursts" aria-hidden="true">
        {bursts.map((burst) => (
          // Spread the bursts across the bar so that several at once stay readable.
          <span key={burst.key} className="chat-burst" style={{ left: `${(burst.key * 37) % 85}%` }}>
            {burst.emoji}
            {burst.count > 1 && <small>×{burst.count}</small>}
          </span>
        ))}
      </div>
      {reactions.map((emoji) => (
        <button key={emoji} type="button" onClick={() => void react(emoji)} disabled={!enabled} title={enabled ? `React ${emoji}` : 'Sign in to react'}>
          {emoji}
        </button>
      ))}
      {error && <p className="chat-error">{error}</p>}
    </div>
  );
}
