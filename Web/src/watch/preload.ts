import { getStream, type Stream } from '../api/streams';

// Opened straight at /watch/{id} (a shared link), the page's code and the stream's details are fetched at once,
// before React has drawn anything, instead of one after the other.
const watchPath = /^\/watch\/([0-9a-f-]{36})\/?$/i;

let page: ReturnType<typeof importPage> | null = null;
const importPage = () => import('./WatchPage');

/** The watch page's code (hls.js, SignalR), fetched once. */
export function loadWatchPage() {
  page ??= importPage();
  return page;
}

let early: { id: string; stream: Promise<Stream> } | null = null;

/** The stream's details fetched at start-up for this id, if any (used once; later reads go to the Api). */
export function takeEarlyStream(id: string): Promise<Stream> | null {
  const found = early?.id === id ? early.stream : null;
  early = null;
  return found;
}

declare global {
  interface Window {
    /** The stream's answer, asked for by index.html's inline script on a watch link (vite.config.ts). */
    __nioEarlyStream?: { id: string; answer: Promise<Response> };
  }
}

/** Starts everything the watch page will need when the app opens on one. */
export function preloadWatch(pathname: string) {
  const id = watchPath.exec(pathname)?.[1];
  if (!id) {
    return;
  }
  void loadWatchPage();
  const asked = window.__nioEarlyStream?.id === id ? window.__nioEarlyStream.answer : null;
  const stream = asked
    ? asked.then((response) => (response.ok ? (response.json() as Promise<Stream>) : getStream(id)), () => getStream(id))
    : getStream(id);
  early = { id, stream };
}
