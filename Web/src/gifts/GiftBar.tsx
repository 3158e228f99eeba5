import { useEffect, useRef, useState } from 'react';
import { accessToken } from '../api/auth';
import { GiftError, getCoins, listGifts, sendGift, type Gift } from '../api/gifts';

interface Failure {
  text: string;
  /** Sends the failed click again with its own idempotency key; null when the Api refused it for good. */
  retry: (() => void) | null;
}

const coinsText = (coins: number) => `${coins.toLocaleString()} ${coins === 1 ? 'coin' : 'coins'}`;

/**
 * The gift catalog under the player with the viewer's coin balance; a click sends one gift to the stream. Clicks are
 * sent one after another, so each answer's balance is the newest. Signed-in viewers only.
 */
export function GiftBar({ streamId, live }: { streamId: string; live: boolean }) {
  const [token] = useState(accessToken);
  const [catalog, setCatalog] = useState<Gift[]>([]);
  const [coins, setCoins] = useState<number | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [pending, setPending] = useState(0);
  const queue = useRef<Promise<void>>(Promise.resolve());

  useEffect(() => {
    if (!token) {
      return;
    }
    const abort = new AbortController();
    const fail = (error: unknown) => {
      if (!abort.signal.aborted) {
        setFailure({ text: error instanceof GiftError ? error.message : 'Gifts are unavailable right now.', retry: null });
      }
    };
    listGifts(abort.signal).then(setCatalog, fail);
    getCoins(token, abort.signal).then(setCoins, fail);
    return () => abort.abort();
  }, [token]);

  if (!token) {
    return null;
  }

  // Never sent again on its own: only the viewer's "Try again" repeats a click, and with the same key.
  const send = (gift: Gift, idempotencyKey: string) => {
    setPending((n) => n + 1);
    queue.current = queue.current.then(async () => {
      try {
        const sent = await sendGift(token, streamId, gift.id, idempotencyKey);
        setCoins(sent.balance);
        setFailure(null);
      } catch (e) {
        const error = e instanceof GiftError ? e : new GiftError(String(e), null, false);
        if (error.balance !== null) {
          setCoins(error.balance);
        }
        setFailure({ text: `${gift.emoji} ${gift.name}: ${error.message}`, retry: error.retry ? () => send(gift, idempotencyKey) : null });
      } finally {
        setPending((n) => n - 1);
      }
    });
  };

  return (
    <div className="gift-bar" data-testid="gift-bar" data-pending={pending}>
      <span className="gift-balance" data-testid="gift-balance" title="Your coins">
        🪙 {coins === null ? '…' : coinsText(coins)}
      </span>
      <div className="gift-buttons">
        {catalog.map((gift) => (
          <button
            key={gift.id}
            type="button"
            data-testid="gift-button"
            data-gift={gift.id}
            className={coins !== null && gift.coins > coins ? 'unaffordable' : undefined}
            disabled={!live}
            onClick={() => send(gift, crypto.randomUUID())}
            title={live ? `Send ${gift.name} (${coinsText(gift.coins)})` : 'Gifts go to live streams'}
          >
            <span className="gift-emoji">{gift.emoji}</span>
            <small>{gift.coins}</small>
          </button>
        ))}
      </div>
      {failure && (
        <p className="gift-error" role="alert" data-testid="gift-error">
          {failure.text}
          {failure.retry && (
            <button type="button" onClick={() => { const retry = failure.retry; setFailure(null); retry?.(); }}>
              Try again
            </button>
          )}
        </p>
      )}
    </div>
  );
}
