// werift (a WebRTC stack in TypeScript, independent of Chromium's) as a WHIP publisher (RFC 9725) for the Ingest's tests:
// node whip.mjs WHIP_URL STREAM_KEY [ATTEMPTS]. It sends H.264 (a keyframe every 30 frames) and Opus that ffmpeg encodes
// into files once, packetised by werift's own RTP packetisers and paced in real time, looping. Prints JSON lines as
// tests/EndToEnd/browser/whip.mjs does:
//   with one attempt: {"status", "location", "etag", "state"} once the peer connection is connected (or failed), then it
//   keeps publishing and answers stdin commands: "delete" -> {"deleted": status}; end of stdin closes it.
//   with ATTEMPTS > 1: {"attempts": [...]} after that many sequential sessions, each POSTed, connected and DELETEd.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import {
  H264Packetizer, MediaStreamTrack, OpusPacketizer, RTCPeerConnection, RTCRtpCodecParameters,
} from 'werift';

const [whipUrl, streamKey, attemptsArg] = process.argv.slice(2);
const attempts = Number(attemptsArg ?? 1);
const print = value => console.log(JSON.stringify(value));
const FrameRate = 30;
const OpusPacketSamples = 960; // 20 ms at 48 kHz

/** Two seconds of test pattern (H.264 Annex B, an access unit delimiter before every picture) and of tone (Ogg Opus). */
function encodeMedia() {
  const dir = mkdtempSync(path.join(tmpdir(), 'nio-werift-'));
  const video = path.join(dir, 'video.h264');
  const audio = path.join(dir, 'audio.ogg');
  const ffmpeg = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=640x360:rate=${FrameRate}`, '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-t', '2', '-map', '0:v', '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-profile:v', 'baseline',
    '-pix_fmt', 'yuv420p', '-g', String(FrameRate), '-keyint_min', String(FrameRate), '-sc_threshold', '0', '-bf', '0',
    '-x264-params', 'aud=1', video,
    '-t', '2', '-map', '1:a', '-c:a', 'libopus', '-b:a', '64k', '-frame_duration', '20', '-ac', '2', audio]);
  if (ffmpeg.status !== 0) throw new Error(`ffmpeg failed: ${ffmpeg.stderr}`);
  const media = { pictures: accessUnits(readFileSync(video)), opus: oggPackets(readFileSync(audio)).slice(2) };
  rmSync(dir, { recursive: true });
  return media;
}

/** The Annex B stream cut into access units at its delimiters (NAL type 9), the delimiters kept. */
function accessUnits(annexB) {
  const starts = [];
  for (let i = 0; i + 3 < annexB.length; i++) {
    if (annexB[i] === 0 && annexB[i + 1] === 0 && annexB[i + 2] === 1 && (annexB[i + 3] & 0x1f) === 9) {
      starts.push(i > 0 && annexB[i - 1] === 0 ? i - 1 : i);
    }
  }
  return starts.map((start, n) => annexB.subarray(start, starts[n + 1] ?? annexB.length));
}

/** The packets of an Ogg stream (RFC 3533): each page's segment table, a lacing value under 255 ending a packet. */
function oggPackets(ogg) {
  const packets = [];
  let pending = [];
  for (let offset = 0; offset + 27 <= ogg.length;) {
    if (ogg.toString('latin1', offset, offset + 4) !== 'OggS') throw new Error('not an Ogg page');
    const segments = ogg[offset + 26];
    let body = offset + 27 + segments;
    for (let s = 0; s < segments; s++) {
      const lacing = ogg[offset + 27 + s];
      pending.push(ogg.subarray(body, body + lacing));
      body += lacing;
      if (lacing < 255) {
        packets.push(Buffer.concat(pending));
        pending = [];
      }
    }
    offset = body;
  }
  return packets;
}

/** One WHIP session: POST the offer, apply the answer, wait for the connection, then send media until stopped. */
async function publish(media) {
  const pc = new RTCPeerConnection({
    codecs: {
      video: [new RTCRtpCodecParameters({
        mimeType: 'video/H264', clockRate: 90000,
        rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'goog-remb' }],
        parameters: 'profile-level-id=42e01f;packetization-mode=1;level-asymmetry-allowed=1',
      })],
      audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2 })],
    },
    bundlePolicy: 'max-bundle',
    // No STUN server can be reached here; werift leaves loopback out of its host candidates unless told.
    iceServers: [],
    iceUseIpv6: false,
    iceAdditionalHostAddresses: ['127.0.0.1'],
  });
  const video = new MediaStreamTrack({ kind: 'video' });
  const audio = new MediaStreamTrack({ kind: 'audio' });
  pc.addTransceiver(video, { direction: 'sendonly' });
  pc.addTransceiver(audio, { direction: 'sendonly' });
  await pc.setLocalDescription(await pc.createOffer());
  await new Promise(resolve => {
    if (pc.iceGatheringState === 'complete') resolve();
    pc.iceGatheringStateChange.subscribe(state => state === 'complete' && resolve());
    setTimeout(resolve, 3000);
  });
  const response = await fetch(whipUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/sdp', Authorization: `Bearer ${streamKey}` },
    body: pc.localDescription.sdp,
  });
  const result = { status: response.status, location: response.headers.get('Location'), etag: response.headers.get('ETag') };
  if (response.status !== 201) {
    result.problem = await response.text();
    await pc.close();
    return { result };
  }
  await pc.setRemoteDescription({ type: 'answer', sdp: await response.text() });
  result.state = await new Promise(resolve => {
    const check = () => ['connected', 'failed'].includes(pc.connectionState) && resolve(pc.connectionState);
    pc.connectionStateChange.subscribe(check);
    check();
    setTimeout(() => resolve(pc.connectionState), 20000);
  });
  const sender = send(media, video, audio);
  const remove = async () => {
    const deleted = await fetch(new URL(result.location, whipUrl), { method: 'DELETE', headers: { Authorization: `Bearer ${streamKey}` } });
    sender.stop();
    await pc.close();
    return deleted.status;
  };
  return { result, remove };
}

/** Paces the pictures and Opus packets by the wall clock, each through werift's packetiser for its codec, looping. */
function send(media, video, audio) {
  const h264 = new H264Packetizer({ payloadType: 96, inputFormat: 'annexb' });
  const opus = new OpusPacketizer({ payloadType: 111 });
  const start = performance.now();
  let picture = 0;
  let packet = 0;
  const timer = setInterval(() => {
    const elapsed = (performance.now() - start) / 1000;
    for (; picture <= elapsed * FrameRate; picture++) {
      const unit = media.pictures[picture % media.pictures.length];
      for (const rtp of h264.packetize(unit, (picture * 90000 / FrameRate) >>> 0)) video.writeRtp(rtp);
    }
    for (; packet * OpusPacketSamples <= elapsed * 48000; packet++) {
      for (const rtp of opus.packetize(media.opus[packet % media.opus.length], (packet * OpusPacketSamples) >>> 0)) audio.writeRtp(rtp);
    }
  }, 10);
  return { stop: () => clearInterval(timer) };
}

try {
  const media = encodeMedia();
  if (attempts > 1) {
    const results = [];
    for (let i = 0; i < attempts; i++) {
      const { result, remove } = await publish(media);
      if (remove) result.deleted = await remove();
      results.push(result);
    }
    print({ attempts: results });
  } else {
    const { result, remove } = await publish(media);
    print(result);
    for await (const command of readline.createInterface({ input: process.stdin })) {
      if (command === 'delete') print({ deleted: await remove() });
    }
  }
} catch (error) {
  print({ error: String(error?.stack ?? error) });
} finally {
  process.exit(0);
}
