import { useLayoutEffect, useState, type RefObject } from 'react';
import { attachPlayer, type PlayerStatus } from './player';

/** The low-latency player (player.ts) on a React-held video element; `src` null plays nothing. */
export function useHlsPlayer(video: RefObject<HTMLVideoElement | null>, src: string | null): PlayerStatus {
  const [status, setStatus] = useState<PlayerStatus>({ phase: 'idle', latency: null, fatalErrors: 0 });

  // A layout effect: the player starts as soon as the element is in the page, not after the browser has painted.
  useLayoutEffect(() => {
    const element = video.current;
    if (!element || !src) {
      return;
    }
    return attachPlayer(element, src, (change) => setStatus((previous) => ({ ...previous, ...change })));
  }, [video, src]);

  return status;
}
