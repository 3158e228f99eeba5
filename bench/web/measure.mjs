// One cold first load of a page in headless Chromium (a new context: empty cache, no service worker yet):
//   node measure.mjs home URL   →  {"jsBytes":…, "jsFiles":…, "fcpMs":…}
//   node measure.mjs watch URL  →  {"jsBytes":…, "firstFrameMs":…}
// With TIMELINE=1, a watch load also prints when each request started and ended and the main thread's long tasks,
// to see what the first frame waited for.
// jsBytes: JavaScript as transferred (compressed, headers excluded). fcpMs: first contentful paint. firstFrameMs: from
// the start of navigation to the first video frame presented (requestVideoFrameCallback).
import { launchChromium } from '../../tests/EndToEnd/browser/chromium.mjs';

const [kind, url] = process.argv.slice(2);
const browser = await launchChromium();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const scripts = new Map();
  cdp.on('Network.responseReceived', (e) => e.type === 'Script' && scripts.set(e.requestId, 0));
  cdp.on('Network.loadingFinished', (e) => {
    if (scripts.has(e.requestId)) scripts.set(e.requestId, e.encodedDataLength);
  });
  // The headers' share of encodedDataLength is taken off, so the figure is the bodies as sent.
  const headerBytes = new Map();
  cdp.on('Network.responseReceivedExtraInfo', (e) => headerBytes.set(e.requestId, (e.headersText ?? '').length));
  if (kind === 'watch') {
    await page.addInitScript(() => {
      const seen = (video) => {
        if (video.__watched) return;
        video.__watched = true;
        video.requestVideoFrameCallback(() => {
          window.__firstFrame = performance.now();
          console.debug(`nio-first-frame ${window.__firstFrame}`);
        });
      };
      window.__longTasks = [];
      new PerformanceObserver((list) => list.getEntries().forEach((t) => window.__longTasks.push([Math.round(t.startTime), Math.round(t.duration)])))
        .observe({ type: 'longtask', buffered: true });
      new MutationObserver(() => document.querySelectorAll('video').forEach(seen)).observe(document, { childList: true, subtree: true });
    });
  }
  // The first frame is reported through the console rather than polled for: Playwright's first evaluation in a page
  // injects its own script, which costs the page's main thread 100-150 ms on these cores, inside the measured time.
  const firstFrame = kind === 'watch'
    ? page.waitForEvent('console', { predicate: (m) => m.text().startsWith('nio-first-frame '), timeout: 30000 })
    : null;
  await page.goto(url, { waitUntil: 'load' });
  const result = {};
  if (kind === 'home') {
    await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0, null, { timeout: 15000 });
    await page.waitForLoadState('networkidle');
    result.fcpMs = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0].startTime);
  } else {
    result.firstFrameMs = Number((await firstFrame).text().split(' ')[1]);
    if (process.env.TIMELINE) {
      result.timeline = await page.evaluate(() => ({
        requests: performance.getEntriesByType('resource').filter((r) => r.startTime < window.__firstFrame)
          .map((r) => `${Math.round(r.startTime)}-${Math.round(r.responseEnd)} ${new URL(r.name).pathname.split('/').slice(-2).join('/')}`),
        longTasks: window.__longTasks,
        marks: performance.getEntriesByType('mark').map((m) => `${Math.round(m.startTime)} ${m.name}`),
        domContentLoaded: Math.round(performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd),
      }));
    }
  }
  let bytes = 0;
  for (const [id, length] of scripts) bytes += Math.max(0, length - (headerBytes.get(id) ?? 0));
  result.jsBytes = bytes;
  result.jsFiles = scripts.size;
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
}
