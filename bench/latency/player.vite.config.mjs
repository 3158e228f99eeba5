// Builds the watch page's player (Web/src/watch/player.ts, with hls.js) as one script defining `NioPlayer`, so the
// benchmark plays both servers with exactly the code viewers run. Used by run.sh with Web's own Vite.
import { fileURLToPath } from 'node:url';

export default {
  logLevel: 'warn',
  build: {
    outDir: process.env.PLAYER_OUT,
    emptyOutDir: true,
    lib: {
      entry: fileURLToPath(new URL('../../Web/src/watch/player.ts', import.meta.url)),
      name: 'NioPlayer',
      formats: ['iife'],
      fileName: () => 'player.js',
    },
  },
};
