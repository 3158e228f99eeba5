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
// hls.js speeds playback up towards its target latency only while more than a second is buffered, which LL-HLS never
// has at the target (PART-HOLD-BACK, about 0.75 s): further behind than this, the player jumps to the target instead.
const catchUpSeconds = 0.3;

/**
 * Plays `src` (a multivariant LL-HLS playlist) in `video`: hls.js in low-latency mode where Media Source Extensions
 * exist, the browser's own HLS (Safari) where they don't. Reports every change through `onChange`; the returned
 * function stops playback and lets go of the element.
 */
export function attachPlayer(video: HTMLVideoElement, src: string, onChange: (change: Partial<PlayerStatus>) => void): () => void {
  let fatalErrors = 0;
  onChange({ phase: 'loading', message: undefined, fatalErrors });
  const onPlaying = () => onChange({ phase: 'playing', message: undefined });
  const onWaiting = () => onChange({ phase: 'buffering' });
  const onPause = () => onChange({ phase: video.ended ? 'ended' : 'paused' });
  const onEnded = () => onChange({ phase: 'ended' });
  video.addEventListener('playing', onPlaying);
  video.addEventListener('waiting', onWaiting);
  video.addEventListener('pause', onPause);
  video.addEventListener('ended', onEnded);
  const play = () => video.play().catch(() => onChange({ phase: 'paused', message: 'Press play to start.' }));

  let hls: Hls | null = null;
  let liveTimer: number | undefined;
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
      onChange({ fatalErrors: ++fatalErrors });
      if (data.type === ErrorTypes.NETWORK_ERROR && retriesLeft-- > 0) {
        onChange({ phase: 'buffering', message: 'Reconnecting…' });
        retryTimer = window.setTimeout(() => hls?.startLoad(), retryDelayMs);
      } else if (data.type === ErrorTypes.MEDIA_ERROR) {
        hls.recoverMediaError();
      } else {
        onChange({ phase: 'failed', message: `Playback failed (${data.details}).` });
        hls.destroy();
        hls = null;
      }
    });
    hls.attachMedia(video);
    hls.loadSource(src);
    liveTimer = window.setInterval(() => {
      if (!hls) {
        return;
      }
      catchUp(hls, video);
      const latency = hls.latency;
      onChange({ latency: latency && Number.isFinite(latency) ? latency : null });
    }, 1000);
  } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
    video.src = src;
    play();
  } else {
    onChange({ phase: 'failed', message: 'This browser cannot play HLS.' });
  }

  return () => {
    window.clearInterval(liveTimer);
    window.clearTimeout(retryTimer);
    hls?.destroy();
    video.removeEventListener('playing', onPlaying);
    video.removeEventListener('waiting', onWaiting);
    video.removeEventListener('pause', onPause);
    video.removeEventListener('ended', onEnded);
    video.removeAttribute('src');
    video.load();
  };
}

/** Jumps to the target latency when playback lags behind it and the buffer already holds that position. */
function catchUp(hls: Hls, video: HTMLVideoElement) {
  const target = hls.liveSyncPosition;
  const targetLatency = hls.targetLatency;
  if (video.paused || target === null || targetLatency === null || hls.latency - targetLatency < catchUpSeconds) {
    return;
  }
  const buffered = video.buffered;
  if (buffered.length > 0 && buffered.end(buffered.length - 1) >= target && buffered.start(buffered.length - 1) <= target) {
    video.currentTime = target;
  }
}
