import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../i18n/format';
import { EmojiImage } from '../ui/Emoji';
import { useGiftName } from './GiftBar';
import type { GiftShow } from './useGiftShows';

/** The room's gifts over the player: each pops in and fades out by itself (CSS only); expensive ones bigger and longer. */
export function GiftOverlay({ shows }: { shows: GiftShow[] }) {
  const { t } = useTranslation();
  const giftName = useGiftName();
  const format = useFormat();
  return (
    <ol className="gift-overlay" aria-live="polite" data-testid="gift-overlay">
      {shows.map(({ key, round, event, big, ms }) => (
        <li key={key} className={big ? 'gift-show big' : 'gift-show'} data-testid="gift-show" data-gift={event.gift.id} data-combo={event.combo}>
          {/* A new round remounts the card: its fade-out starts again and the combo pops. */}
          <div key={round} className="gift-card" style={{ '--gift-ms': `${ms}ms` } as CSSProperties}>
            <span className="gift-art">
              <EmojiImage emoji={event.gift.emoji} src={event.gift.artworkPath} label="" size={big ? '3.2em' : '2.2em'} />
            </span>
            <span className="gift-text">
              <strong>{event.sender.displayName}</strong>
              <span>
                {/* "3 ×" is a count, not a plural: 21 roses are "21 ×" in every language. */}
                {event.count > 1 ? t('gifts.sentMany', { times: format.number(event.count), name: giftName(event.gift) }) : t('gifts.sent', { name: giftName(event.gift) })}
              </span>
            </span>
            {event.combo > 1 && <span className="gift-combo">×{event.combo}</span>}
          </div>
        </li>
      ))}
    </ol>
  );
}
