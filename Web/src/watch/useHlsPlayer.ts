import { useEffect, useState, type RefObject } from 'react';
import Hls, { ErrorTypes, Events } from 'hls.js';

export type PlayerPhase = 'idle' | 'loading' | 'playing' | 'buffering' | 'paused' | 'ended' | 'failed';

export interface PlayerStatus {
  phase: PlayerPhase;
  /** Seconds behind the live edge as hls.js measures it; null before the first playlist or on native HLS. */
  latency: number | null;
  /** Fatal errors hls.js reported (each one was recovered from unless phase is `failed`). */
  fatalErrors: number;
  message?: string;
}

// A network error while live usually means a restarting Transcoder or a brief outage: retry for about half a minute.
const networkRetries = 15;
const retryDelayMs = 2000;

/**
 * Plays `src` (a multivariant LL-HLS playlist) in `video`: hls.js in low-latency mode where Media Source Extensions
 * exist, the browser's own HLS (Safari) where they don't.
 */
export function useHlsPlayer(video: RefObject<HTMLVideoElement | null>, src: string | null): PlayerStatus {
  const [status, setStatus] = useState<PlayerStatus>({ phase: 'idle', latency: null, fatalErrors: 0 });

  useEffect(() => {
    const element = video.current;
    if (!element || !src) {
      return;
    }

    const update = (change: Partial<PlayerStatus>) => setStatus((previous) => ({ ...previous, ...change }));
    update({ phase: 'loading', message: undefined });
    const onPlaying = () => update({ phase: 'playing' });
    const onWaiting = () => update({ phase: 'buffering' });
    const onPause = () => update({ phase: element.ended ? 'ended' : 'paused' });
    const onEnded = () => update({ phase: 'ended' });
    element.addEventListener('playing', onPlaying);
    element.addEventListener('waiting', onWaiting);
    element.addEventListener('pause', onPause);
    element.addEventListener('ended', onEnded);
    const play = () => element.play().catch(() => update({ phase: 'paused', message: 'Press play to start.' }));

    let hls: Hls | null = null;
    let latencyTimer: number | undefined;
    let retryTimer: number | undefined;
    if (Hls.isSupported()) {
      hls = new Hls({ lowLatencyMode: true, backBufferLength: 30, maxLiveSyncPlaybackRate: 1.5 });
      let retriesLeft = networkRetries;
      hls.on(Events.MANIFEST_PARSED, play);
      hls.on(Events.FRAG_LOADED, () => (retriesLeft = networkRetries));
      hls.on(Events.ERROR, (_event, data) => {
        if (!data.fatal || !hls) {
          return;
        }
        setStatus((previous) => ({ ...previous, fatalErrors: previous.fatalErrors + 1 }));
        if (data.type === ErrorTypes.NETWORK_ERROR && retriesLeft-- > 0) {
          update({ phase: 'buffering', message: 'Reconnecting…' });
          retryTimer = window.setTimeout(() => hls?.startLoad(), retryDelayMs);
        } else if (data.type === ErrorTypes.MEDIA_ERROR) {
          hls.recoverMediaError();
        } else {
          update({ phase: 'failed', message: `Playback failed (${data.details}).` });
          hls.destroy();
          hls = null;
        }
      });
      hls.attachMedia(element);
      hls.loadSource(src);
      latencyTimer = window.setInterval(() => {
        const latency = hls?.latency;
        update({ latency: latency && Number.isFinite(latency) ? latency : null });
      }, 1000);
    } else if (element.canPlayType('application/vnd.apple.mpegurl')) {
      element.src = src;
      play();
    } else {
      update({ phase: 'failed', message: 'This browser cannot play HLS.' });
    }

    return () => {
      window.clearInterval(latencyTimer);
      window.clearTimeout(retryTimer);
      hls?.destroy();
      element.removeEventListener('playing', onPlaying);
      element.removeEventListener('waiting', onWaiting);
      element.removeEventListener('pause', onPause);
      element.removeEventListener('ended', onEnded);
      element.removeAttribute('src');
      element.load();
    };
  }, [video, src]);

  return status;
}
