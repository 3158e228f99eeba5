import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n';
import { session } from './api/session';
import { App } from './App';
import './styles.css';
import { preloadWatch } from './watch/preload';

preloadWatch(window.location.pathname);
void session.restore();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
