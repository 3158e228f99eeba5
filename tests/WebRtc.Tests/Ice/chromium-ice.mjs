// Drives Debian's Chromium as a WHIP publisher for IceLiteChromiumTests: prints its offer as one JSON line, reads the
// answer as one JSON line on stdin, then prints the ICE connection state it reached
// as a JSON line and keeps the connection until its stdin ends.
// Needs `./nio npm tests/EndToEnd/browser` (playwright-core; never a downloaded browser).
import http from 'node:http';
import readline from 'node:readline';
import { fakeCamera, launchChromium } from '../../EndToEnd/browser/chromium.mjs';

const server = http.createServer((_, res) => res.end('<!doctype html><title>ice</title>'));
await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
const browser = await launchChromium(fakeCamera);
try {
  const page = await browser.newPage();
  // getUserMedia needs a secure context: an http://localhost page, not about:blank.
  await page.goto(`http://localhost:${server.address().port}/`);
  const offer = await page.evaluate(async () => {
    const media = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
    window.pc = pc;
    for (const track of media.getTracks()) pc.addTransceiver(track, { direction: 'sendonly', streams: [media] });
    await pc.setLocalDescription(await pc.createOffer());
    return pc.localDescription.sdp;
  });
  console.log(JSON.stringify({ offer }));
  const lines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  const { answer } = JSON.parse((await lines.next()).value);
  const state = await page.evaluate(async answer => {
    const pc = window.pc;
    await pc.setRemoteDescription({ type: 'answer', sdp: answer });
    await new Promise(resolve => {
      const check = () => ['connected', 'completed', 'failed'].includes(pc.iceConnectionState) && resolve();
      pc.addEventListener('iceconnectionstatechange', check);
      check();
      setTimeout(resolve, 20000);
    });
    return pc.iceConnectionState;
  }, answer);
  console.log(JSON.stringify({ state }));
  // Keep the peer connection (and its consent checks) alive until the test has seen what it waits for.
  await lines.next();
} catch (error) {
  console.log(JSON.stringify({ error: String(error) }));
} finally {
  await browser.close();
  server.close();
}
