// One cold first load of a page in headless Chromium (a new context: empty cache, no service worker yet):
//   node measure.mjs home URL   →  {"jsBytes":…, "jsFiles":…, "fcpMs":…}
//   node measure.mjs watch URL  →  {"jsBytes":…, "firstFrameMs":…}
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
        video.requestVideoFrameCallback(() => (window.__firstFrame = performance.now()));
      };
      new MutationObserver(() => document.querySelectorAll('video').forEach(seen)).observe(document, { childList: true, subtree: true });
    });
  }
  await page.goto(url, { waitUntil: 'load' });
  const result = {};
  if (kind === 'home') {
    await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0, null, { timeout: 15000 });
    await page.waitForLoadState('networkidle');
    result.fcpMs = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0].startTime);
  } else {
    await page.waitForFunction(() => window.__firstFrame !== undefined, null, { timeout: 30000 });
    result.firstFrameMs = await page.evaluate(() => window.__firstFrame);
  }
  let bytes = 0;
  for (const [id, length] of scripts) bytes += Math.max(0, length - (headerBytes.get(id) ?? 0));
  result.jsBytes = bytes;
  result.jsFiles = scripts.size;
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
}
