// Writes raw grey 640×360 frames at 30 fps to stdout, each stamped with the time it was made (clock.mjs), for
// FFmpeg to encode and publish: node source.mjs EPOCH_MS | ffmpeg -f rawvideo -pix_fmt gray -s 640x360 -r 30 -i - …
import { height, modulo, paint, width } from './clock.mjs';

const epoch = Number(process.argv[2]);
const frameMs = 1000 / 30;
const frame = Buffer.alloc(width * height);
const start = Date.now();
let frameNumber = 0;

function next() {
  paint(frame, (Date.now() - epoch) % modulo, frameNumber);
  const writable = process.stdout.write(frame);
  frameNumber++;
  const wait = Math.max(0, start + frameNumber * frameMs - Date.now());
  // A full pipe means FFmpeg is behind: wait for it rather than queueing stale frames.
  if (writable) setTimeout(next, wait);
  else process.stdout.once('drain', () => setTimeout(next, Math.max(0, start + frameNumber * frameMs - Date.now())));
}

process.stdout.on('error', () => process.exit(0));
next();
