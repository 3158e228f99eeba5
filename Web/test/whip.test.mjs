// whip.ts's HTTP side against a small WHIP endpoint on a real socket: what each answer becomes for the studio.
// The peer connection itself is covered in Chromium by tests/EndToEnd/browser/journey.mjs.
//   npm test   (in Web/)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { rolldown } from 'rolldown';

const bundle = await rolldown({ input: new URL('../src/studio/whip.ts', import.meta.url).pathname, logLevel: 'silent' });
const { output } = await bundle.generate({ format: 'esm' });
const whip = await import(`data:text/javascript;base64,${Buffer.from(output[0].code).toString('base64')}`);

const offer = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n';
const requests = [];
let answer = () => ({ status: 404, headers: {}, body: '' });
const server = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => (body += chunk));
  request.on('end', () => {
    requests.push({ method: request.method, url: request.url, authorization: request.headers.authorization, contentType: request.headers['content-type'], body });
    const { status, headers, body: text } = answer(request);
    response.writeHead(status, headers).end(text);
  });
});
let endpoint;

before(async () => {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${server.address().port}/whip`;
});
after(() => server.close());

async function failureOf(promise) {
  const error = await promise.then(() => assert.fail('the offer was accepted'), (e) => e);
  assert.ok(error instanceof whip.WhipError, `not a WhipError: ${error}`);
  return { failure: error.failure, detail: error.detail };
}

test('the offer goes out as application/sdp with the stream key as bearer, and a relative Location becomes the session URL', async () => {
  requests.length = 0;
  answer = () => ({ status: 201, headers: { 'Content-Type': 'application/sdp', Location: '/whip/session-1' }, body: 'v=0\r\nanswer' });
  const result = await whip.postOffer(endpoint, 'live_key', offer);
  assert.deepEqual(requests, [{ method: 'POST', url: '/whip', authorization: 'Bearer live_key', contentType: 'application/sdp', body: offer }]);
  assert.deepEqual(result, { sdp: 'v=0\r\nanswer', session: `${new URL(endpoint).origin}/whip/session-1` });
});

test('a wrong key (401) and a server without WHIP (404) are told apart', async () => {
  answer = () => ({ status: 401, headers: {}, body: '' });
  assert.deepEqual(await failureOf(whip.postOffer(endpoint, 'old_key', offer)), { failure: 'wrongKey', detail: null });
  answer = () => ({ status: 404, headers: {}, body: '' });
  assert.deepEqual(await failureOf(whip.postOffer(endpoint, 'live_key', offer)), { failure: 'notAvailable', detail: null });
});

test("any other refusal carries the problem's detail", async () => {
  answer = () => ({ status: 409, headers: { 'Content-Type': 'application/problem+json' }, body: JSON.stringify({ title: 'Conflict', detail: 'This stream has ended.' }) });
  assert.deepEqual(await failureOf(whip.postOffer(endpoint, 'live_key', offer)), { failure: 'refused', detail: 'This stream has ended.' });
  answer = () => ({ status: 503, headers: { 'Content-Type': 'text/plain' }, body: 'overloaded' });
  assert.deepEqual(await failureOf(whip.postOffer(endpoint, 'live_key', offer)), { failure: 'refused', detail: 'HTTP 503' });
});

test('an answer without Location is refused, since the session could never be ended', async () => {
  answer = () => ({ status: 201, headers: { 'Content-Type': 'application/sdp' }, body: 'v=0' });
  assert.equal((await failureOf(whip.postOffer(endpoint, 'live_key', offer))).failure, 'refused');
});

test('nobody listening is "unreachable"', async () => {
  const closed = createServer();
  await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = closed.address().port;
  await new Promise((resolve) => closed.close(resolve));
  assert.deepEqual(await failureOf(whip.postOffer(`http://127.0.0.1:${port}/whip`, 'live_key', offer)), { failure: 'unreachable', detail: null });
});

test('ending the session DELETEs its URL with the stream key', async () => {
  requests.length = 0;
  answer = () => ({ status: 200, headers: {}, body: '' });
  await whip.deleteSession(`${new URL(endpoint).origin}/whip/session-1`, 'live_key');
  assert.deepEqual(requests.map((r) => [r.method, r.url, r.authorization]), [['DELETE', '/whip/session-1', 'Bearer live_key']]);
});

test('H.264 with packetization-mode=1 and constrained baseline is preferred; other codecs are left out', () => {
  const codec = (mimeType, sdpFmtpLine) => ({ mimeType, clockRate: 90000, sdpFmtpLine });
  const offered = [
    codec('video/VP8'),
    codec('video/H264', 'level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42e01f'),
    codec('video/H264', 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=640c1f'),
    codec('video/H264', 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f'),
    codec('video/rtx'),
  ];
  assert.deepEqual(whip.h264Preferences(offered).map((c) => c.sdpFmtpLine), [
    'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
    'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=640c1f',
    'level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42e01f',
  ]);
  assert.deepEqual(whip.h264Preferences([codec('video/VP8'), codec('video/AV1')]), []);
  assert.equal(whip.h264Preferences(undefined), null);
});
