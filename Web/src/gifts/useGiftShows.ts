import { useCallback, useEffect, useRef, useState } from 'react';
import type { GiftEvent } from '../api/gifts';

/** A gift on screen: `round` goes up when the same sender's combo of the same gift grows while it is shown. */
export interface GiftShow {
  key: number;
  round: number;
  event: GiftEvent;
  big: boolean;
  /** How long it stays, fading out at the end (the CSS animation reads it). */
  ms: number;
}

// Three at once stay readable over the video; a burst waits its turn, and past the queue's end the cheapest waiting
// gift is dropped (the chat still lists every gift).
const maxVisible = 3;
const maxWaiting = 12;
const bigCoins = 500;
const showMs = 3200;
const bigShowMs = 5500;

let showKeys = 0;

const sameCombo = (show: GiftShow, event: GiftEvent) => show.event.sender.id === event.sender.id && show.event.gift.id === event.gift.id;
const grown = (show: GiftShow, event: GiftEvent): GiftShow => ({ ...show, event: { ...event, combo: Math.max(show.event.combo, event.combo) } });

/**
 * The gifts of stream `streamId` to draw over its player, at most three at a time; `push` adds one from the room or
 * from the sender's own answer (the same gift from both is shown once).
 */
export function useGiftShows(streamId: string): { shows: GiftShow[]; push: (event: GiftEvent) => void } {
  const [shows, setShows] = useState<GiftShow[]>([]);
  const queue = useRef({ visible: [] as GiftShow[], waiting: [] as GiftShow[], timers: new Map<number, number>() });

  useEffect(() => {
    const q = queue.current;
    return () => {
      q.timers.forEach((timer) => window.clearTimeout(timer));
      q.timers.clear();
      q.visible = [];
      q.waiting = [];
      setShows([]);
    };
  }, [streamId]);

  const push = useCallback((event: GiftEvent) => {
    const q = queue.current;
    const expire = (show: GiftShow) => {
      window.clearTimeout(q.timers.get(show.key));
      q.timers.set(
        show.key,
        window.setTimeout(() => {
          q.timers.delete(show.key);
          q.visible = q.visible.filter((s) => s.key !== show.key);
          const next = q.waiting.shift();
          if (next) {
            q.visible = [...q.visible, next];
            expire(next);
          }
          setShows(q.visible);
        }, show.ms),
      );
    };

    const visible = q.visible.find((s) => sameCombo(s, event));
    if (visible && event.combo <= visible.event.combo) {
      // The same gift told twice: by the sender's own answer and by the room.
      return;
    }
    if (visible) {
      // The combo grows on the card already shown, which starts its time again.
      const show = { ...grown(visible, event), round: visible.round + 1 };
      q.visible = q.visible.map((s) => (s.key === show.key ? show : s));
      expire(show);
    } else if (q.waiting.some((s) => sameCombo(s, event))) {
      q.waiting = q.waiting.map((s) => (sameCombo(s, event) ? grown(s, event) : s));
    } else {
      const big = event.gift.coins >= bigCoins;
      const show: GiftShow = { key: ++showKeys, round: 0, event, big, ms: big ? bigShowMs : showMs };
      if (q.visible.length < maxVisible) {
        q.visible = [...q.visible, show];
        expire(show);
      } else {
        q.waiting.push(show);
        if (q.waiting.length > maxWaiting) {
          const cheapest = q.waiting.reduce((min, s) => (s.event.gift.coins < min.event.gift.coins ? s : min));
          q.waiting = q.waiting.filter((s) => s !== cheapest);
        }
      }
    }
    setShows(q.visible);
  }, []);

  return { shows, push };
}
