import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n';
import { session } from './api/session';
import { App } from './App';
import './styles.css';
import { preloadWatch } from './watch/preload';

// On a watch link the first render waits (briefly) for the page's code and the stream, both already on their way:
// drawn at once, the page would show a loading state first, and React holds back what replaces a Suspense fallback
// for a few hundred milliseconds — time the first video frame would wait for.
const watchReady = preloadWatch(window.location.pathname);
const longestWaitMs = 1500;
void session.restore();

const render = () =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
if (watchReady) {
  void Promise.race([watchReady, new Promise((resolve) => window.setTimeout(resolve, longestWaitMs))]).then(render);
} else {
  render();
}
