// Debian's Chromium as a WHIP publisher (RFC 9725) for the Ingest's tests: node whip.mjs WHIP_URL STREAM_KEY [ATTEMPTS].
// The page is served from its own http://localhost origin, so the Ingest's CORS answers are exercised as a studio
// page on another origin would. Prints one JSON line per event:
//   with one attempt: {"status", "location", "etag", "state"} once the peer connection is connected (or failed), then
//   it keeps publishing and answers stdin commands: "delete" -> {"deleted": status}, "restart" -> {"restart": status}
//   (a PATCH with new ICE credentials), "stats" -> {"codec", "framesSent", "availableOutgoingBitrate"}; end of stdin closes the browser.
//   with ATTEMPTS > 1: {"attempts": [...]} after that many sequential sessions, each POSTed, connected and DELETEd.
import http from 'node:http';
import readline from 'node:readline';
import { launchChromium, fakeCamera } from './chromium.mjs';

const [whipUrl, streamKey, attemptsArg] = process.argv.slice(2);
const attempts = Number(attemptsArg ?? 1);
const server = http.createServer((_, res) => res.end('<!doctype html><title>whip</title>'));
await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
const browser = await launchChromium(fakeCamera);
const print = value => console.log(JSON.stringify(value));
try {
  const page = await browser.newPage();
  // getUserMedia needs a secure context: an http://localhost page, not about:blank.
  await page.goto(`http://localhost:${server.address().port}/`);
  await page.evaluate(() => {
    window.publish = async (whipUrl, streamKey) => {
      const media = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 360, frameRate: 30 }, audio: true });
      const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
      for (const track of media.getTracks()) pc.addTransceiver(track, { direction: 'sendonly', streams: [media] });
      await pc.setLocalDescription(await pc.createOffer());
      // Host candidates on loopback are gathered at once; the offer then carries them (no trickling needed).
      await new Promise(resolve => {
        if (pc.iceGatheringState === 'complete') resolve();
        pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
        setTimeout(resolve, 2000);
      });
      const response = await fetch(whipUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/sdp', Authorization: `Bearer ${streamKey}` },
        body: pc.localDescription.sdp,
      });
      const result = { status: response.status, location: response.headers.get('Location'), etag: response.headers.get('ETag') };
      if (response.status !== 201) {
        result.problem = await response.text();
        media.getTracks().forEach(t => t.stop());
        pc.close();
        return result;
      }
      await pc.setRemoteDescription({ type: 'answer', sdp: await response.text() });
      result.state = await new Promise(resolve => {
        const check = () => ['connected', 'failed'].includes(pc.connectionState) && resolve(pc.connectionState);
        pc.addEventListener('connectionstatechange', check);
        check();
        setTimeout(() => resolve(pc.connectionState), 20000);
      });
      window.session = { pc, media, url: new URL(result.location, whipUrl).href, etag: result.etag, streamKey };
      return result;
    };
    window.remove = async () => {
      const { pc, media, url, streamKey } = window.session;
      const response = await fetch(url, { method: 'DELETE', headers: { Authorization: `Bearer ${streamKey}` } });
      media.getTracks().forEach(t => t.stop());
      pc.close();
      return response.status;
    };
    window.restart = async () => {
      const { url, etag, streamKey } = window.session;
      const fragment = 'a=ice-ufrag:Zx9yW8vu\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\n';
      const response = await fetch(url, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/trickle-ice-sdpfrag', 'If-Match': etag, Authorization: `Bearer ${streamKey}` },
        body: fragment,
      });
      return response.status;
    };
    window.stats = async () => {
      const report = await window.session.pc.getStats();
      const codecs = new Map([...report.values()].filter(s => s.type === 'codec').map(s => [s.id, s.mimeType]));
      const video = [...report.values()].find(s => s.type === 'outbound-rtp' && s.kind === 'video');
      const pair = [...report.values()].find(s => s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded');
      return { codec: codecs.get(video?.codecId) ?? null, framesSent: video?.framesSent ?? 0, availableOutgoingBitrate: pair?.availableOutgoingBitrate ?? null };
    };
  });

  if (attempts > 1) {
    const results = [];
    for (let i = 0; i < attempts; i++) {
      const result = await page.evaluate(([url, key]) => window.publish(url, key), [whipUrl, streamKey]);
      if (result.status === 201) result.deleted = await page.evaluate(() => window.remove());
      results.push(result);
    }
    print({ attempts: results });
  } else {
    print(await page.evaluate(([url, key]) => window.publish(url, key), [whipUrl, streamKey]));
    for await (const command of readline.createInterface({ input: process.stdin })) {
      if (command === 'delete') print({ deleted: await page.evaluate(() => window.remove()) });
      else if (command === 'restart') print({ restart: await page.evaluate(() => window.restart()) });
      else if (command === 'stats') print(await page.evaluate(() => window.stats()));
    }
  }
} catch (error) {
  print({ error: String(error) });
} finally {
  await browser.close();
  server.close();
}
