// Plays an HLS URL in headless Chromium with the watch page's player (PLAYER_JS: player.ts built by run.sh) and
// measures glass-to-glass latency from the picture clock:
//   node measure.mjs URL EPOCH_MS WARMUP_SECONDS MEASURE_SECONDS  →  one JSON line {samples, median, p90, …}
// Each presented frame (requestVideoFrameCallback) is drawn to a canvas, its stamp read back (clock.mjs) and
// compared with the time the frame is shown. A frame whose blocks are all dark (stamp 0) is counted as blank, one whose
// blocks are neither black nor white as unreadable, neither guessed.
// EVENTS=1 also prints (stderr) when frames went wrong, stalls, seeks and rendition changes, and every request the
// player made while measuring; PARTS_DIR=folder keeps every media file it loaded, in order, to decode afterwards.
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
  if (process.env.PARTS_DIR) {
    // Every media file the player loads, in order, to look at afterwards.
    const { mkdir, writeFile } = await import('node:fs/promises');
    await mkdir(process.env.PARTS_DIR, { recursive: true });
    let n = 0;
    page.on('response', async (response) => {
      const name = new URL(response.url()).pathname.split('/').slice(-2).join('_');
      if (!/\.(m4s|mp4|ts)$/.test(name)) return;
      const index = String(n++).padStart(5, '0');
      await writeFile(`${process.env.PARTS_DIR}/${index}_${name}`, await response.body()).catch(() => {});
    });
  }
  // A document of the stream's own origin (whatever it answers there): the player keeps its bandwidth estimate in
  // localStorage, which about:blank may not use.
  await page.goto(new URL('/', url).href).catch(() => {});
  await page.setContent('<video muted autoplay playsinline></video>');
  await page.addScriptTag({ content: player });
  await page.addScriptTag({ content: clock });
  const result = await page.evaluate(async ({ url, epoch, warmup, measure }) => {
    const video = document.querySelector('video');
    performance.setResourceTimingBufferSize(100000);
    let fatal = 0;
    const detach = NioPlayer.attachPlayer(video, url, (change) => (fatal = change.fatalErrors ?? fatal));
    const canvas = document.createElement('canvas');
    const context = canvas.getContext('2d', { willReadFrequently: true });
    const samples = [];
    let unreadable = 0;
    let blank = 0;
    let undrawn = 0;
    let measuring = false;
    let measureStart = 0;
    // When frames went wrong and when the rendition changed, in seconds from the start of measuring (the first 80).
    const events = [];
    const note = (what) => measuring && events.length < 80 && events.push(`${((performance.now() - measureStart) / 1000).toFixed(2)} ${what}`);
    video.addEventListener('resize', () => note(`rendition ${video.videoWidth}x${video.videoHeight}`));
    const ranges = () => Array.from({ length: video.buffered.length }, (_, i) => `${video.buffered.start(i).toFixed(2)}-${video.buffered.end(i).toFixed(2)}`).join(',');
    video.addEventListener('waiting', () => note(`waiting at ${video.currentTime.toFixed(2)} buffered ${ranges()}`));
    video.addEventListener('seeking', () => note(`seeking to ${video.currentTime.toFixed(2)} buffered ${ranges()}`));
    video.addEventListener('playing', () => note(`playing at ${video.currentTime.toFixed(2)} buffered ${ranges()}`));
    const onFrame = (_now, frame) => {
      const shownAt = performance.timeOrigin + frame.expectedDisplayTime;
      if (measuring) {
        canvas.width = frame.width;
        canvas.height = frame.height;
        context.drawImage(video, 0, 0, frame.width, frame.height);
        const pixels = context.getImageData(0, 0, frame.width, frame.height).data;
        const stamp = read(pixels, frame.width, frame.height);
        const latency = stamp === null ? NaN : (((shownAt - epoch) % modulo) - stamp + modulo) % modulo;
        // A canvas left transparent: the browser did not draw the frame into it (a video frame it could not read
        // back), which says nothing about the stream.
        if (pixels[3] === 0) {
          undrawn++;
          note(`undrawn ${frame.width}x${frame.height}`);
        } else if (stamp === 0) {
          // Stamp 0 (every block dark) is a frame with no picture: the clock shows 0 only once in 4.6 hours.
          blank++;
          note(`blank ${frame.width}x${frame.height}`);
        } else if (Number.isFinite(latency) && latency < 60000) {
          samples.push(latency);
        } else {
          unreadable++;
          note(`unreadable ${frame.width}x${frame.height}`);
        }
      }
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
    await new Promise((resolve) => setTimeout(resolve, warmup * 1000));
    measuring = true;
    measureStart = performance.now();
    await new Promise((resolve) => setTimeout(resolve, measure * 1000));
    const height = video.videoHeight;
    const quality = video.getVideoPlaybackQuality();
    events.push(`frames total ${quality.totalVideoFrames} dropped ${quality.droppedVideoFrames}`);
    const requests = performance.getEntriesByType('resource').filter((r) => r.startTime > measureStart - 2000)
      .map((r) => `${((r.startTime - measureStart) / 1000).toFixed(2)}-${((r.responseEnd - measureStart) / 1000).toFixed(2)} ${new URL(r.name).pathname.split('/').slice(-2).join('/')}${new URL(r.name).search}`);
    detach();
    return { samples, unreadable, blank, undrawn, events, requests, fatal, height };
  }, { url, epoch: Number(epoch), warmup: Number(warmup), measure: Number(measure) });

  const sorted = result.samples.sort((a, b) => a - b);
  const at = (q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1000 : null);
  console.log(JSON.stringify({ samples: sorted.length, unreadable: result.unreadable, blank: result.blank, undrawn: result.undrawn,
    fatalErrors: result.fatal, renditionHeight: result.height, median: at(0.5), p10: at(0.1), p90: at(0.9), max: at(1) }));
  if (process.env.EVENTS) console.error([...result.events, ...result.requests].join('\n'));
} finally {
  await browser.close();
}
