import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ApiError } from '../api/http';
import { getCoins, listGifts, sendGift, type Gift, type GiftEvent } from '../api/gifts';
import { useFormat } from '../i18n/format';
import { EmojiImage } from '../ui/Emoji';

interface Failure {
  text: string;
  /** Not enough coins: offer to buy some. */
  needsCoins: boolean;
  /** Sends the failed click again with its own idempotency key; null when the Api refused it for good. */
  retry: (() => void) | null;
}

/** A gift's name in the interface's language (the catalog names them in English). */
export function useGiftName() {
  const { t } = useTranslation();
  return (gift: Gift) => t(`gifts.names.${gift.id}`, { defaultValue: gift.name });
}

/**
 * The gift catalog under the player with the viewer's coin balance; a click sends one gift to the stream. Clicks are
 * sent one after another, so each answer's balance is the newest. Never resent by itself: only "Try again" repeats a
 * click, with the same idempotency key, so a gift is never paid twice.
 */
export function GiftBar({ streamId, live, own, sender, onSent }: {
  streamId: string;
  live: boolean;
  own: boolean;
  sender: GiftEvent['sender'];
  /** A gift this person sent, shown at once rather than when the room tells of it (their chat may still be joining). */
  onSent: (event: GiftEvent) => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const giftName = useGiftName();
  const [catalog, setCatalog] = useState<Gift[]>([]);
  const [coins, setCoins] = useState<number | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [pending, setPending] = useState(0);
  const queue = useRef<Promise<void>>(Promise.resolve());

  useEffect(() => {
    const abort = new AbortController();
    const fail = () => !abort.signal.aborted && setFailure({ text: t('gifts.unavailable'), needsCoins: false, retry: null });
    listGifts(abort.signal).then(setCatalog, fail);
    getCoins(abort.signal).then(setCoins, fail);
    return () => abort.abort();
  }, [t]);

  const send = (gift: Gift, idempotencyKey: string) => {
    setPending((n) => n + 1);
    queue.current = queue.current.then(async () => {
      try {
        const sent = await sendGift(streamId, gift.id, idempotencyKey);
        setCoins(sent.balance);
        onSent({ streamId, sender, gift: sent.gift, count: sent.count, combo: sent.combo });
        setFailure(null);
      } catch (e) {
        const error = e instanceof ApiError ? e : new ApiError(0, String(e));
        if (typeof error.problem.balance === 'number') {
          setCoins(error.problem.balance);
        }
        const retry = error.status === 0 || error.status >= 500 ? () => send(gift, idempotencyKey) : null;
        const text = (() => {
          switch (error.status) {
            case 402: return t('gifts.notEnough', { needed: format.number(gift.coins) });
            case 0: return t('errors.offline');
            case 409: return t('gifts.onlyLive');
            case 400: return error.fields.streamId ? t('gifts.ownStream') : t('gifts.unavailable');
            case 404: return t('gifts.unavailable');
            default: return t('errors.unexpected');
          }
        })();
        setFailure({ text: `${giftName(gift)}: ${text}`, needsCoins: error.status === 402, retry });
      } finally {
        setPending((n) => n - 1);
      }
    });
  };

  return (
    <div className="gift-bar" data-testid="gift-bar" data-pending={pending}>
      <Link to="/wallet" className="gift-balance" data-testid="gift-balance" aria-label={t('wallet.coinsBalance', { formatted: coins === null ? '…' : format.number(coins) })}>
        <EmojiImage emoji="🪙" label="" /> {coins === null ? '…' : format.number(coins)}
      </Link>
      {/* With every gift unavailable nothing inside takes focus, so the row itself does: on a phone it scrolls sideways. */}
      <div className="gift-buttons" role="group" aria-label={t('gifts.title')} tabIndex={!live || own ? 0 : undefined}>
        {catalog.map((gift) => (
          <button
            key={gift.id}
            type="button"
            data-testid="gift-button"
            data-gift={gift.id}
            className={coins !== null && gift.coins > coins ? 'unaffordable' : undefined}
            disabled={!live || own}
            onClick={() => send(gift, crypto.randomUUID())}
            aria-label={giftName(gift)}
            title={own ? t('gifts.ownStream') : live ? t('gifts.sendFor', { name: giftName(gift), count: gift.coins, formatted: format.number(gift.coins) }) : t('gifts.onlyLive')}
          >
            <EmojiImage emoji={gift.emoji} src={gift.artworkPath} label="" size="1.8em" />
            <small aria-hidden="true">{format.number(gift.coins)}</small>
          </button>
        ))}
      </div>
      {failure && (
        <p className="gift-error" role="alert" data-testid="gift-error">
          {failure.text}{' '}
          {failure.needsCoins && <Link to="/wallet#buy" className="button primary">{t('wallet.buyCoins')}</Link>}
          {failure.retry && (
            <button type="button" onClick={() => { const retry = failure.retry; setFailure(null); retry?.(); }}>
              {t('common.tryAgain')}
            </button>
          )}
        </p>
      )}
    </div>
  );
}
