import { getStream, type Stream } from '../api/streams';

// Opened straight at /watch/{id} (a shared link), the page's code and the stream's details are fetched at once,
// before React has drawn anything, instead of one after the other.
const watchPath = /^\/watch\/([0-9a-f-]{36})\/?$/i;

type WatchModule = typeof import('./WatchPage');
let page: Promise<WatchModule> | null = null;
let loadedPage: WatchModule | null = null;

/** The watch page's code (hls.js, SignalR), fetched once. */
export function loadWatchPage(): Promise<WatchModule> {
  page ??= import('./WatchPage').then((module) => (loadedPage = module));
  return page;
}

/** The watch page's module if it has loaded already (rendering it then needs no Suspense fallback). */
export function loadedWatchPage(): WatchModule | null {
  return loadedPage;
}

let early: { id: string; stream: Promise<Stream>; value?: Stream } | null = null;

/** The stream's details fetched at start-up for this id, if any (used once; later reads go to the Api). */
export function takeEarlyStream(id: string): Promise<Stream> | null {
  const found = early?.id === id ? early.stream : null;
  early = null;
  return found;
}

/** The stream's details fetched at start-up for this id, if they have arrived, so the page's first render has them. */
export function arrivedEarlyStream(id: string): Stream | null {
  return early?.id === id ? (early.value ?? null) : null;
}

declare global {
  interface Window {
    /** The stream's answer, asked for by index.html's inline script on a watch link (vite.config.ts). */
    __nioEarlyStream?: { id: string; answer: Promise<Response> };
  }
}

/**
 * Starts everything the watch page will need when the app opens on one; the returned promise settles once the page's
 * code and the stream's details are in (null when the app did not open on a watch page).
 */
export function preloadWatch(pathname: string): Promise<unknown> | null {
  const id = watchPath.exec(pathname)?.[1];
  if (!id) {
    return null;
  }
  const asked = window.__nioEarlyStream?.id === id ? window.__nioEarlyStream.answer : null;
  const stream = asked
    ? asked.then((response) => (response.ok ? (response.json() as Promise<Stream>) : getStream(id)), () => getStream(id))
    : getStream(id);
  const entry: NonNullable<typeof early> = { id, stream };
  early = entry;
  void stream.then((value) => (entry.value = value), () => undefined);
  // The player starts loading the playlists and the first part while the page renders.
  void Promise.all([loadWatchPage(), stream]).then(([module, details]) => {
    if (details.status === 'live' && details.playbackUrl) {
      module.startPlayerEarly(details.playbackUrl);
    }
  }, () => undefined);
  return Promise.allSettled([loadWatchPage(), stream]);
}
