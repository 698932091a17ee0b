// Draws images/icon.png (128x128): a lens over a three-node linked list.
// Run with `node images/draw-icon.mjs`; it needs nothing but Node's zlib, so the icon can be
// redrawn offline. Shapes are signed-distance functions sampled 4x4 per pixel for smooth edges.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SUBSAMPLES = 4;

const BACKGROUND = [31, 42, 68];
const NODE = [201, 212, 229];
const NODE_IN_LENS = [242, 178, 51];
const LINK = [120, 138, 170];
const LENS = [242, 178, 51];

const LENS_CENTER = [56, 56];
const LENS_RADIUS = 25;

/** Distance from p to a rounded box centred at c with half-size h and corner radius r. */
function roundedBox(p, c, h, r) {
  const qx = Math.abs(p[0] - c[0]) - h + r;
  const qy = Math.abs(p[1] - c[1]) - h + r;
  const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
  return outside + Math.min(Math.max(qx, qy), 0) - r;
}

/** Distance from p to the segment a-b, minus half the stroke width w. */
function capsule(p, a, b, w) {
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  const t = Math.max(
    0,
    Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)),
  );
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy) - w / 2;
}

/** Distance from p to a ring of radius r and stroke width w. */
function ring(p, c, r, w) {
  return Math.abs(Math.hypot(p[0] - c[0], p[1] - c[1]) - r) - w / 2;
}

function isInsideLens(p) {
  return Math.hypot(p[0] - LENS_CENTER[0], p[1] - LENS_CENTER[1]) < LENS_RADIUS;
}

/** Returns the colour at a sample point, or null where the icon is transparent. */
function shade(p) {
  if (roundedBox(p, [64, 64], 64, 26) > 0) {
    return null;
  }
  const handle = capsule(p, [76, 76], [104, 104], 13);
  if (ring(p, LENS_CENTER, LENS_RADIUS, 8) < 0 || handle < 0) {
    return LENS;
  }
  const nodes = [16, 56, 96].map((x) => roundedBox(p, [x, 56], 8, 3));
  if (nodes.some((d) => d < 0)) {
    return isInsideLens(p) ? NODE_IN_LENS : NODE;
  }
  if (capsule(p, [16, 56], [96, 56], 4) < 0) {
    return LINK;
  }
  return BACKGROUND;
}

function renderPixel(x, y) {
  const sum = [0, 0, 0, 0];
  for (let sy = 0; sy < SUBSAMPLES; sy++) {
    for (let sx = 0; sx < SUBSAMPLES; sx++) {
      const colour = shade([x + (sx + 0.5) / SUBSAMPLES, y + (sy + 0.5) / SUBSAMPLES]);
      if (colour) {
        colour.forEach((v, i) => (sum[i] += v));
        sum[3] += 255;
      }
    }
  }
  const covered = sum[3] / 255;
  const n = SUBSAMPLES * SUBSAMPLES;
  return covered
    ? [...sum.slice(0, 3).map((v) => Math.round(v / covered)), Math.round(sum[3] / n)]
    : [0, 0, 0, 0];
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) {
    c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) {
    c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function encodePng(rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const rows = [];
  for (let y = 0; y < SIZE; y++) {
    rows.push(Buffer.from([0]), rgba.subarray(y * SIZE * 4, (y + 1) * SIZE * 4));
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const pixels = Buffer.alloc(SIZE * SIZE * 4);
for (let y = 0; y < SIZE; y++) {
  for (let x = 0; x < SIZE; x++) {
    pixels.set(renderPixel(x, y), (y * SIZE + x) * 4);
  }
}
writeFileSync(new URL('./icon.png', import.meta.url), encodePng(pixels));
