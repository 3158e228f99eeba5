// The light build: no subtitles, DRM or alternate audio, which NIO's streams do not use; a third less to parse.
import Hls, { ErrorTypes, Events } from 'hls.js/light';

export type PlayerPhase = 'idle' | 'loading' | 'playing' | 'buffering' | 'paused' | 'ended' | 'failed';

export interface PlayerStatus {
  phase: PlayerPhase;
  /** Seconds behind the live edge as hls.js measures it; null before the first playlist or on native HLS. */
  latency: number | null;
  /** Fatal errors hls.js reported (each one was recovered from unless phase is `failed`). */
  fatalErrors: number;
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

/** hls.js as NIO plays live: low latency, its own catch-up (below), starting on a segment's first part. */
function createHls(): Hls {
  const hls = new Hls({
    lowLatencyMode: true,
    backBufferLength: 30,
    maxLiveSyncPlaybackRate: 1,
    liveSyncOnStallIncrease: stallBackoffSeconds,
    abrEwmaDefaultEstimate: startingBandwidth(),
    testBandwidth: false,
    // Start on the independent part at or before the live sync point: the first frame then needs one part, not every
    // part up to that point (the catch-up closes the distance), and it can load before there is a video element.
    startOnSegmentBoundary: true,
    startFragPrefetch: true,
  });
  hls.once(Events.MANIFEST_PARSED, () => {
    // No switch up before the first frame (attachPlayer lifts this): the starting rendition's parts would be thrown
    // away and the same moment loaded again at the higher one, about 0.2 s on a first visit, which starts from a
    // guessed bandwidth.
    hls.autoLevelCapping = hls.firstAutoLevel;
  });
  return hls;
}

// A player started before its page has a video element (a watch link opened cold), for attachPlayer to take.
const earlyStartWaitMs = 5000;
interface EarlyPlayer {
  src: string;
  hls: Hls;
  failed: boolean;
  expiry: number;
}
let early: EarlyPlayer | null = null;

/**
 * Starts loading `src` now, while the page that will show it is still rendering: the playlists and the first part are
 * then on their way before the video element exists. Unused after a few seconds, it is let go.
 */
export function startPlayerEarly(src: string) {
  if (!Hls.isSupported() || early) {
    return;
  }
  const hls = createHls();
  const entry: EarlyPlayer = {
    src,
    hls,
    failed: false,
    expiry: window.setTimeout(() => {
      if (early === entry) {
        early = null;
        hls.destroy();
      }
    }, earlyStartWaitMs),
  };
  hls.on(Events.ERROR, (_event, data) => (entry.failed ||= data.fatal));
  hls.loadSource(src);
  early = entry;
}

/** The early player for `src`, if one was started and is still sound; otherwise a new one. */
function takeHls(src: string): { hls: Hls; loading: boolean } {
  const entry = early;
  early = null;
  if (entry) {
    window.clearTimeout(entry.expiry);
    if (entry.src === src && !entry.failed) {
      return { hls: entry.hls, loading: true };
    }
    entry.hls.destroy();
  }
  return { hls: createHls(), loading: false };
}

/**
 * Plays `src` (a multivariant LL-HLS playlist) in `video`: hls.js in low-latency mode where Media Source Extensions
 * exist, the browser's own HLS (Safari) where they don't. Reports every change through `onChange`; the returned
 * function stops playback and lets go of the element.
 */
export function attachPlayer(video: HTMLVideoElement, src: string, onChange: (change: Partial<PlayerStatus>) => void): () => void {
  let fatalErrors = 0;
  let hls: Hls | null = null;
  onChange({ phase: 'loading', fatalErrors });
  // Set by the first `playing`: before it, hls.js is still seeking to where it started loading.
  let started = false;
  const onPlaying = () => {
    started = true;
    if (hls) {
      hls.autoLevelCapping = -1;
    }
    onChange({ phase: 'playing' });
  };
  const onWaiting = () => onChange({ phase: 'buffering' });
  const onPause = () => onChange({ phase: video.ended ? 'ended' : 'paused' });
  const onEnded = () => onChange({ phase: 'ended' });
  video.addEventListener('playing', onPlaying);
  video.addEventListener('waiting', onWaiting);
  video.addEventListener('pause', onPause);
  video.addEventListener('ended', onEnded);
  // Autoplay refused: the video's own controls offer play.
  const play = () => video.play().catch(() => onChange({ phase: 'paused' }));

  let liveTimer: number | undefined;
  let retryTimer: number | undefined;
  if (Hls.isSupported()) {
    const taken = takeHls(src);
    hls = taken.hls;
    let retriesLeft = networkRetries;
    if (hls.levels.length > 0) {
      play();
    } else {
      hls.once(Events.MANIFEST_PARSED, play);
    }
    hls.on(Events.FRAG_LOADED, () => (retriesLeft = networkRetries));
    // hls.js moves playback into the buffer only once its whole first load is buffered, which on a live edge is every
    // part the playlist listed, each waited for; the first (independent) part alone can already be shown.
    const showFirstPart = () => {
      if (started) {
        hls?.off(Events.BUFFER_APPENDED, showFirstPart);
        return;
      }
      const buffered = video.buffered;
      if (video.seeking || buffered.length === 0 || video.currentTime >= buffered.start(0)) {
        return;
      }
      video.currentTime = buffered.start(0);
    };
    hls.on(Events.BUFFER_APPENDED, showFirstPart);
    hls.on(Events.ERROR, (_event, data) => {
      if (!data.fatal || !hls) {
        return;
      }
      onChange({ fatalErrors: ++fatalErrors });
      if (data.type === ErrorTypes.NETWORK_ERROR && retriesLeft-- > 0) {
        onChange({ phase: 'buffering' });
        retryTimer = window.setTimeout(() => hls?.startLoad(), retryDelayMs);
      } else if (data.type === ErrorTypes.MEDIA_ERROR) {
        hls.recoverMediaError();
      } else {
        onChange({ phase: 'failed' });
        hls.destroy();
        hls = null;
      }
    });
    hls.attachMedia(video);
    if (!taken.loading) {
      hls.loadSource(src);
    }
    let ticks = 0;
    liveTimer = window.setInterval(() => {
      // A catch-up jump before the first frame would move playback past what is buffered and decoded so far.
      if (!hls || !started) {
        return;
      }
      catchUp(hls, video);
      if (++ticks % 4 === 0) {
        const latency = hls.latency;
        // Below zero after a broadcast restarted (hls.js's estimate across the break): not shown.
        onChange({ latency: Number.isFinite(latency) && latency >= 0 ? latency : null });
      }
    }, controlMs);
  } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
    video.src = src;
    play();
  } else {
    onChange({ phase: 'failed' });
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
