// The light build: no subtitles, DRM or alternate audio, which NIO's streams do not use; a third less to parse.
import Hls, { ErrorTypes, Events } from 'hls.js/light';

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
// Catch-up towards the live edge the playlist allows (PART-HOLD-BACK). hls.js's own rate control acts only with more
// than a second buffered, which LL-HLS never has at that distance, and every stall moves its target a whole second
// further back; so the rate is ours: behind by more than `driftSeconds`, play up to `maxRate` fast (gently, in
// proportion), and more than `jumpSeconds` behind, jump to the target when the buffer holds it.
const driftSeconds = 0.06;
const maxRate = 1.25;
const jumpSeconds = 1.5;
const controlMs = 250;
// A stall moves hls.js's target back by this much (its default is a second), up to one target duration.
const stallBackoffSeconds = 0.2;
// The first rendition is chosen from the bandwidth measured on the last visit (or, on a first visit, what the browser
// says the connection does), so playback does not start on a low rendition only to switch up and load the same
// moment again.
const bandwidthKey = 'nio.bandwidth';
const fallbackBandwidth = 500_000;

// Storage can be refused (a sandboxed or opaque-origin page, some private modes): then nothing is remembered.
function remembered(): number {
  try {
    return Number(localStorage.getItem(bandwidthKey));
  } catch {
    return 0;
  }
}

function remember(bandwidth: number) {
  try {
    localStorage.setItem(bandwidthKey, String(Math.round(bandwidth)));
  } catch {
    // Not remembered: the next visit starts from the connection's own estimate.
  }
}

function startingBandwidth(): number {
  const last = remembered();
  if (last > 0) {
    return last;
  }
  const downlinkMbps = (navigator as Navigator & { connection?: { downlink?: number } }).connection?.downlink;
  return downlinkMbps ? downlinkMbps * 1_000_000 : fallbackBandwidth;
}

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
    hls = new Hls({
      lowLatencyMode: true,
      backBufferLength: 30,
      maxLiveSyncPlaybackRate: 1,
      liveSyncOnStallIncrease: stallBackoffSeconds,
      abrEwmaDefaultEstimate: startingBandwidth(),
      testBandwidth: false,
    });
    let retriesLeft = networkRetries;
    hls.on(Events.MANIFEST_PARSED, play);
    hls.once(Events.LEVEL_LOADED, (_event, data) => {
      const start = independentStart(data.details.partList, hls?.liveSyncPosition ?? null);
      if (start !== null) {
        hls?.startLoad(start);
      }
    });
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
    let ticks = 0;
    liveTimer = window.setInterval(() => {
      if (!hls) {
        return;
      }
      catchUp(hls, video);
      if (++ticks % 4 === 0) {
        const latency = hls.latency;
        onChange({ latency: latency && Number.isFinite(latency) ? latency : null });
      }
    }, controlMs);
  } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
    video.src = src;
    play();
  } else {
    onChange({ phase: 'failed', message: 'This browser cannot play HLS.' });
  }

  return () => {
    if (hls && hls.bandwidthEstimate > 0) {
      remember(hls.bandwidthEstimate);
    }
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

/**
 * Where a live start should begin: hls.js starts at the live sync point (PART-HOLD-BACK from the edge), which is
 * usually inside a GOP, so every part from the GOP's independent part up to that point must arrive before the first
 * frame shows. Starting at that independent part shows a frame after one part; `catchUp` then closes the distance.
 */
function independentStart(parts: { start: number; independent: boolean }[] | null, liveSync: number | null): number | null {
  if (!parts || liveSync === null) {
    return null;
  }
  const before = parts.filter((part) => part.independent && part.start <= liveSync);
  return before.length > 0 ? before[before.length - 1].start : null;
}

/** Steers playback towards hls.js's target latency: a gentle speed-up when a little behind, a jump when far behind. */
function catchUp(hls: Hls, video: HTMLVideoElement) {
  const target = hls.liveSyncPosition;
  const targetLatency = hls.targetLatency;
  if (video.paused || target === null || targetLatency === null || !hls.latestLevelDetails?.live) {
    return;
  }
  const behind = hls.latency - targetLatency;
  const buffered = video.buffered;
  const end = buffered.length > 0 ? buffered.end(buffered.length - 1) : 0;
  if (behind > jumpSeconds && end >= target && buffered.start(buffered.length - 1) <= target) {
    video.currentTime = target;
    video.playbackRate = 1;
    return;
  }
  // Speeding up eats the buffer: only while more than what the speed-up would consume in one control period is there.
  const ahead = end - video.currentTime;
  const rate = behind > driftSeconds && ahead > 0.25 ? Math.min(maxRate, 1 + behind / 2) : 1;
  if (Math.abs(video.playbackRate - rate) > 0.01) {
    video.playbackRate = Math.round(rate * 100) / 100;
  }
}
