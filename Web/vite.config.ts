import { cpSync, createReadStream, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

// `npm run dev` serves the app on :5173 and forwards the Api's routes to a running `./nio up`.
const api = process.env.NIO_API_URL ?? 'http://127.0.0.1:5000';

// Emoji and gift artwork ship with the app (Twemoji's SVGs, MIT/CC-BY), so they look the same on every device; each
// file is fetched only when a page shows that emoji.
const emojiDir = dirname(createRequire(import.meta.url).resolve('@twemoji/svg/package.json'));

function emojiArtwork(): Plugin {
  let outDir = 'dist';
  return {
    name: 'nio-emoji-artwork',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    configureServer(server) {
      server.middlewares.use('/emoji', (request, response, next) => {
        const file = join(emojiDir, (request.url ?? '').replace(/[^0-9a-f.-]/g, ''));
        if (!file.endsWith('.svg') || !existsSync(file)) {
          return next();
        }
        response.setHeader('Content-Type', 'image/svg+xml');
        createReadStream(file).pipe(response);
      });
    },
    writeBundle() {
      cpSync(emojiDir, join(outDir, 'emoji'), { recursive: true, filter: (source) => source === emojiDir || source.endsWith('.svg') });
    },
  };
}

// Every text file of the build is also written compressed (.br, .gz) so the Api sends the smallest one the browser
// takes without compressing on each request (Api/Hosting/WebApp.cs).
function precompress(): Plugin {
  let outDir = 'dist';
  const compressible = /\.(js|css|html|svg|webmanifest|json)$/;
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));
  return {
    name: 'nio-precompress',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle: {
      order: 'post',
      sequential: true,
      handler() {
        for (const file of walk(outDir).filter((f) => compressible.test(f) && statSync(f).size > 1024)) {
          const content = readFileSync(file);
          writeFileSync(`${file}.br`, brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
          writeFileSync(`${file}.gz`, gzipSync(content, { level: 9 }));
        }
      },
    },
  };
}

// A shared watch link is the page people open cold most often: its own code (hls.js, SignalR) and the stream's
// details are asked for by the HTML itself, before the app's main script has even run (watch/preload.ts takes them).
// The script comes right after the charset, before the stylesheet: an inline script after a stylesheet waits until that
// stylesheet has loaded.
function watchLinkPreload(): Plugin {
  return {
    name: 'nio-watch-link-preload',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, context) {
        const chunks = Object.values(context.bundle ?? {}).filter((c) => c.type === 'chunk');
        const watch = chunks.find((c) => c.facadeModuleId?.endsWith('/src/watch/WatchPage.tsx'));
        if (!watch) {
          return html;
        }
        const files = JSON.stringify([watch.fileName, ...watch.imports].map((f) => `/${f}`));
        const script = `(function(){var m=/^\\/watch\\/([0-9a-f-]{36})\\/?$/i.exec(location.pathname);if(!m)return;` +
          `${files}.forEach(function(f){var l=document.createElement('link');l.rel='modulepreload';l.crossOrigin='';l.href=f;document.head.appendChild(l)});` +
          `window.__nioEarlyStream={id:m[1],answer:fetch('/api/streams/'+m[1],{headers:{Accept:'application/json'}})}})()`;
        return html.replace(/<meta charset[^>]*>/i, (charset) => `${charset}\n    <script>${script}</script>`);
      },
    },
  };
}

export default defineConfig({
  plugins: [
    react(),
    emojiArtwork(),
    watchLinkPreload(),
    precompress(),
    VitePWA({
      // A new version waits until the person agrees to reload (pwa/UpdatePrompt.tsx).
      registerType: 'prompt',
      includeAssets: ['favicon.svg', 'apple-touch-icon.png'],
      manifest: {
        name: 'NIO — live streaming',
        short_name: 'NIO',
        description: 'Watch live streams, chat, send gifts and go live.',
        lang: 'en',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'any',
        background_color: '#0f0f14',
        theme_color: '#0f0f14',
        icons: [
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: '/apple-touch-icon.png', sizes: '180x180', type: 'image/png' },
        ],
      },
      workbox: {
        // The app shell and its static assets only: never playlists, media or Api answers (they are live data).
        globPatterns: ['**/*.{js,css,html,png,svg,webmanifest}'],
        globIgnores: ['emoji/**'],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/hubs\//, /^\/hangfire/, /^\/docs/, /^\/openapi/, /^\/live\//],
        runtimeCaching: [
          { urlPattern: ({ url, sameOrigin }) => sameOrigin && url.pathname.startsWith('/emoji/'), handler: 'CacheFirst', options: { cacheName: 'emoji', expiration: { maxEntries: 300 } } },
        ],
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  server: { proxy: { '/api': api, '/hubs': { target: api, ws: true } } },
  // hls.js and Stripe.js load only on the pages that use them.
  build: { outDir: 'dist', sourcemap: true, chunkSizeWarningLimit: 700 },
});
