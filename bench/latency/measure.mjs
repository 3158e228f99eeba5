// Plays an HLS URL in headless Chromium with the watch page's player (PLAYER_JS: player.ts built by run.sh) and
// measures glass-to-glass latency from the picture clock:
//   node measure.mjs URL EPOCH_MS WARMUP_SECONDS MEASURE_SECONDS  →  one JSON line {samples, median, p90, …}
// Each presented frame (requestVideoFrameCallback) is drawn to a canvas, its stamp read back (clock.mjs) and
// compared with the time the frame is shown.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../../tests/EndToEnd/browser/chromium.mjs';

const [url, epoch, warmup = '8', measure = '20'] = process.argv.slice(2);
const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const player = await readFile(process.env.PLAYER_JS, 'utf8');
const clock = (await readFile(here('./clock.mjs'), 'utf8')).replaceAll('export ', '');

const browser = await launchChromium();
try {
  const page = await browser.newPage();
  // A document of the stream's own origin (whatever it answers there): the player keeps its bandwidth estimate in
  // localStorage, which about:blank may not use.
  await page.goto(new URL('/', url).href).catch(() => {});
  await page.setContent('<video muted autoplay playsinline></video>');
  await page.addScriptTag({ content: player });
  await page.addScriptTag({ content: clock });
  const result = await page.evaluate(async ({ url, epoch, warmup, measure }) => {
    const video = document.querySelector('video');
    let fatal = 0;
    const detach = NioPlayer.attachPlayer(video, url, (change) => (fatal = change.fatalErrors ?? fatal));
    const canvas = document.createElement('canvas');
    const context = canvas.getContext('2d', { willReadFrequently: true });
    const samples = [];
    let unreadable = 0;
    let measuring = false;
    const onFrame = (_now, frame) => {
      const shownAt = performance.timeOrigin + frame.expectedDisplayTime;
      if (measuring) {
        canvas.width = frame.width;
        canvas.height = frame.height;
        context.drawImage(video, 0, 0, frame.width, frame.height);
        const stamp = read(context.getImageData(0, 0, frame.width, frame.height).data, frame.width, frame.height);
        const latency = stamp === null ? NaN : (((shownAt - epoch) % modulo) - stamp + modulo) % modulo;
        if (Number.isFinite(latency) && latency < 60000) samples.push(latency);
        else unreadable++;
      }
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
    await new Promise((resolve) => setTimeout(resolve, warmup * 1000));
    measuring = true;
    await new Promise((resolve) => setTimeout(resolve, measure * 1000));
    const height = video.videoHeight;
    detach();
    return { samples, unreadable, fatal, height };
  }, { url, epoch: Number(epoch), warmup: Number(warmup), measure: Number(measure) });

  const sorted = result.samples.sort((a, b) => a - b);
  const at = (q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1000 : null);
  console.log(JSON.stringify({ samples: sorted.length, unreadable: result.unreadable, fatalErrors: result.fatal,
    renditionHeight: result.height, median: at(0.5), p10: at(0.1), p90: at(0.9), max: at(1) }));
} finally {
  await browser.close();
}
