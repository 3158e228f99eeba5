// Captures the SDP offer Debian's Chromium makes for a WHIP publisher (camera + microphone, send only), as the SDP
// tests' fixture: node tests/WebRtc.Tests/Sdp/Fixtures/capture-chromium-offer.mjs > chromium-offer.sdp
// Needs `./nio npm tests/EndToEnd/browser` first (playwright-core; never a downloaded browser).
import http from 'node:http';
import { fakeCamera, launchChromium } from '../../../EndToEnd/browser/chromium.mjs';

// getUserMedia needs a secure context: an http://localhost page, not about:blank.
const server = http.createServer((_, res) => res.end('<!doctype html><title>offer</title>'));
await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
const browser = await launchChromium(fakeCamera);
try {
  const page = await browser.newPage();
  await page.goto(`http://localhost:${server.address().port}/`);
  const offer = await page.evaluate(async () => {
    const media = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
    for (const track of media.getTracks()) pc.addTransceiver(track, { direction: 'sendonly', streams: [media] });
    await pc.setLocalDescription(await pc.createOffer());
    // Wait for candidate gathering, as a non-trickle WHIP client does before it POSTs.
    await new Promise(resolve => {
      if (pc.iceGatheringState === 'complete') return resolve();
      pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
      setTimeout(resolve, 5000);
    });
    return pc.localDescription.sdp;
  });
  process.stdout.write(offer);
} finally {
  await browser.close();
  server.close();
}
