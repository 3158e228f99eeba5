import { lazy, Suspense } from 'react';
import { HomePage } from './home/HomePage';

// hls.js is most of the bundle: only the watch page loads it.
const WatchPage = lazy(() => import('./watch/WatchPage'));

/** Pages by path. The Api answers every path that is not a file with index.html, so deep links work. */
export function App() {
  const watch = /^\/watch\/([0-9a-f-]{36})\/?$/i.exec(window.location.pathname);
  return (
    <div className="app">
      <header className="topbar">
        <a className="brand" href="/">NIO</a>
      </header>
      <main>
        <Suspense fallback={<p className="notice">Loading…</p>}>{watch ? <WatchPage streamId={watch[1]} /> : <HomePage />}</Suspense>
      </main>
    </div>
  );
}
