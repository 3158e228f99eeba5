import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run dev` serves the app on :5173 and forwards the Api's routes to a running `./nio up`.
const api = process.env.NIO_API_URL ?? 'http://127.0.0.1:5000';

export default defineConfig({
  plugins: [react()],
  server: { proxy: { '/api': api, '/hubs': { target: api, ws: true } } },
  // The watch page's chunk is mostly hls.js plus the SignalR client (about 200 kB gzipped); it loads only there.
  build: { outDir: 'dist', sourcemap: true, chunkSizeWarningLimit: 700 },
});
