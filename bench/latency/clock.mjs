// The picture clock both sides of the latency benchmark share: a frame shows the wall-clock time it was made at
// as 24 black or white blocks (milliseconds since an epoch the run chooses, modulo 2^24, about 4.6 hours).
// Big blocks survive every rendition of the ladder (240p included) and any bitrate the encoder picks.
export const width = 640;
export const height = 360;
export const columns = 8;
export const rows = 3;
const bits = columns * rows;
const blockWidth = width / columns;
const blockHeight = 270 / rows; // the lower 90 rows are a moving bar, so the picture visibly changes

/** Paints `stamp` into an 8-bit grey frame of width × height. */
export function paint(frame, stamp, frameNumber) {
  frame.fill(0);
  for (let bit = 0; bit < bits; bit++) {
    if ((stamp >>> bit) & 1) {
      const x0 = (bit % columns) * blockWidth;
      const y0 = Math.floor(bit / columns) * blockHeight;
      for (let y = y0; y < y0 + blockHeight; y++) frame.fill(255, y * width + x0, y * width + x0 + blockWidth);
    }
  }
  const bar = (frameNumber * 8) % width;
  for (let y = 290; y < 350; y++) frame.fill(160, y * width + bar, y * width + Math.min(width, bar + 40));
}

/**
 * Reads the stamp back from RGBA pixels of a frame scaled to any size: the mean brightness of the middle of each
 * block. Returns null when a block is neither clearly dark nor clearly light (a damaged or blended frame).
 */
export function read(rgba, frameWidth, frameHeight) {
  let stamp = 0;
  for (let bit = 0; bit < bits; bit++) {
    const cx = ((bit % columns) + 0.5) * (frameWidth / columns);
    const cy = (Math.floor(bit / columns) + 0.5) * (frameHeight * 0.75 / rows);
    let sum = 0;
    let count = 0;
    for (let y = Math.round(cy - frameHeight / 40); y <= Math.round(cy + frameHeight / 40); y++) {
      for (let x = Math.round(cx - frameWidth / 80); x <= Math.round(cx + frameWidth / 80); x++) {
        const i = (y * frameWidth + x) * 4;
        sum += rgba[i] + rgba[i + 1] + rgba[i + 2];
        count += 3;
      }
    }
    const mean = sum / count;
    if (mean > 80 && mean < 175) return null;
    if (mean >= 175) stamp |= 1 << bit;
  }
  return stamp >>> 0;
}

export const modulo = 2 ** bits;
