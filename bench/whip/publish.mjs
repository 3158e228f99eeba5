// Headless Chromium as the WHIP publisher of the WHIP benchmark (run.sh). One of three modes:
//   node publish.mjs clock WHIP_URL STREAM_KEY EPOCH_MS
//       publishes a 640×360 30 fps canvas that shows the wall-clock time of each frame (bench/latency/clock.mjs) and
//       keeps publishing until stdin says "quit" or ends; prints {"connected": ms} once connected.
//   node publish.mjs connect WHIP_URL STREAM_KEY SESSIONS
//       that many sessions one after another, each POSTed, connected and DELETEd; prints {"connectMs": [...]}, each
//       from the start of the POST to the peer connection's connectionState 'connected'.
//   node publish.mjs camera KBPS WHIP_URL TOKEN [WHIP_URL TOKEN …]
//       one tab per URL publishing the fake 1280×720 30 fps camera and microphone, video capped at KBPS; prints
//       {"publishing": n} once all are connected, then for every line on stdin the video bytes each tab has sent so
//       far, {"videoBytesSent": [...]}; closes on "quit" or the end of stdin.
// The page is an http://localhost page of its own, so WHIP is called across origins as the studio calls it.
import http from 'node:http';
import readline from 'node:readline';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { launchChromium, fakeCamera } from '../../tests/EndToEnd/browser/chromium.mjs';

const [mode, ...args] = process.argv.slice(2);
// run.sh's clean-up stops it with SIGTERM, which playwright's own handler would answer by closing the browser
// gracefully, which can hang; Chromium ends with the pipe to this process.
process.on('SIGTERM', () => process.exit(1));
const server = http.createServer((_, res) => res.end('<!doctype html><title>whip bench</title>'));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://localhost:${server.address().port}/`;
const clock = (await readFile(fileURLToPath(new URL('../latency/clock.mjs', import.meta.url)), 'utf8')).replaceAll('export ', '');
const print = (value) => console.log(JSON.stringify(value));
// The lines on stdin until a "quit" line or its end (run.sh's pipe may stay open in processes it started later).
async function* commands() {
  for await (const line of readline.createInterface({ input: process.stdin })) {
    if (line === 'quit') return;
    yield line;
  }
}

// Publishes MEDIA (a MediaStream) to URL with TOKEN; resolves {pc, ms, location} once connected, ms counted from
// the POST's start. Host candidates on loopback are gathered at once, so the offer carries them (no trickling).
async function whipPublish(url, token, media, maxBitrateKbps) {
  const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
  for (const track of media.getTracks()) {
    const capped = track.kind === 'video' && maxBitrateKbps;
    pc.addTransceiver(track, { direction: 'sendonly', streams: [media], sendEncodings: capped ? [{ maxBitrate: maxBitrateKbps * 1000 }] : undefined });
  }
  await pc.setLocalDescription(await pc.createOffer());
  await new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') resolve();
    pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
    setTimeout(resolve, 2000);
  });
  const start = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/sdp', Authorization: `Bearer ${token}` },
    body: pc.localDescription.sdp,
  });
  if (response.status !== 201) throw new Error(`POST ${url}: ${response.status} ${await response.text()}`);
  const location = new URL(response.headers.get('Location'), url).href;
  await pc.setRemoteDescription({ type: 'answer', sdp: await response.text() });
  const state = await new Promise((resolve) => {
    const check = () => ['connected', 'failed'].includes(pc.connectionState) && resolve(pc.connectionState);
    pc.addEventListener('connectionstatechange', check);
    check();
    setTimeout(() => resolve(pc.connectionState), 20000);
  });
  if (state !== 'connected') throw new Error(`peer connection ${state}`);
  return { pc, ms: performance.now() - start, location };
}

const browser = await launchChromium(fakeCamera);
try {
  const open = async () => {
    const page = await browser.newPage();
    await page.goto(origin); // getUserMedia and WebRTC need a secure context: http://localhost, not about:blank
    await page.addScriptTag({ content: clock });
    await page.evaluate(`window.whipPublish = ${whipPublish.toString()}`);
    return page;
  };

  if (mode === 'clock') {
    const [url, token, epoch] = args;
    const page = await open();
    print(await page.evaluate(async ({ url, token, epoch }) => {
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const context = canvas.getContext('2d');
      const grey = new Uint8Array(width * height);
      const image = context.createImageData(width, height);
      let frameNumber = 0;
      const draw = () => {
        paint(grey, (Date.now() - epoch) % modulo, frameNumber++);
        for (let i = 0, j = 0; i < grey.length; i++, j += 4) {
          image.data[j] = image.data[j + 1] = image.data[j + 2] = grey[i];
          image.data[j + 3] = 255;
        }
        context.putImageData(image, 0, 0);
      };
      draw();
      setInterval(draw, 1000 / 30);
      const media = canvas.captureStream(30);
      const microphone = await navigator.mediaDevices.getUserMedia({ audio: true });
      media.addTrack(microphone.getAudioTracks()[0]);
      media.getVideoTracks()[0].contentHint = 'detail';
      const session = await whipPublish(url, token, media, 1500);
      window.session = session;
      return { connected: Math.round(session.ms) };
    }, { url, token, epoch: Number(epoch) }));
    for await (const _ of commands());
  } else if (mode === 'connect') {
    const [url, token, sessions] = args;
    const page = await open();
    print(await page.evaluate(async ({ url, token, sessions }) => {
      const media = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 360, frameRate: 30 }, audio: true });
      const connectMs = [];
      for (let i = 0; i < sessions; i++) {
        const { pc, ms, location } = await whipPublish(url, token, media);
        connectMs.push(Math.round(ms * 10) / 10);
        await fetch(location, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } });
        pc.close();
      }
      return { connectMs };
    }, { url, token, sessions: Number(sessions) }));
  } else if (mode === 'camera') {
    const [kbps, ...targets] = args;
    const pages = [];
    for (let i = 0; i < targets.length; i += 2) {
      const page = await open();
      await page.evaluate(async ({ url, token, kbps }) => {
        const media = await navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 720, frameRate: 30 }, audio: true });
        window.session = await whipPublish(url, token, media, kbps);
      }, { url: targets[i], token: targets[i + 1], kbps: Number(kbps) });
      pages.push(page);
    }
    print({ publishing: pages.length });
    for await (const _ of commands()) {
      const videoBytesSent = [];
      for (const page of pages) {
        videoBytesSent.push(await page.evaluate(async () => {
          const report = await window.session.pc.getStats();
          return [...report.values()].find((s) => s.type === 'outbound-rtp' && s.kind === 'video')?.bytesSent ?? 0;
        }));
      }
      print({ videoBytesSent });
    }
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
} catch (error) {
  print({ error: String(error) });
  process.exitCode = 1;
} finally {
  // Closing a browser with several publishing tabs can hang; the process ends regardless after 10 s.
  await Promise.race([browser.close(), new Promise((resolve) => setTimeout(resolve, 10000))]);
  server.close();
  // stdin stays open (run.sh holds the pipe), so the process would not end by itself.
  process.exit();
}
