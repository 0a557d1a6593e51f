// Draws the app icon and the tray icons (one per app state) as PNGs with Node alone: shapes as signed distance
// functions, anti-aliased over one pixel, encoded with zlib. Run: node build/make-icons.mjs (the PNGs are committed).
import { writeFileSync, mkdirSync } from "node:fs";
import { deflateSync } from "node:zlib";
import { fileURLToPath } from "node:url";

const outDir = fileURLToPath(new URL("./icons/", import.meta.url));

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes) => {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}
function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

// Distance functions in unit coordinates (0..1); negative inside.
const circle = (cx, cy, r) => (x, y) => Math.hypot(x - cx, y - cy) - r;
const ring = (cx, cy, r, w) => (x, y) => Math.abs(Math.hypot(x - cx, y - cy) - r) - w / 2;
const segment = (ax, ay, bx, by, w) => (x, y) => {
  const px = x - ax,
    py = y - ay,
    dx = bx - ax,
    dy = by - ay;
  const t = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - t * dx, py - t * dy) - w / 2;
};
const roundedSquare = (m, r) => (x, y) => {
  const qx = Math.abs(x - 0.5) - (0.5 - m - r),
    qy = Math.abs(y - 0.5) - (0.5 - m - r);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};
const union =
  (...shapes) =>
  (x, y) =>
    Math.min(...shapes.map((s) => s(x, y)));
const minus = (a, b) => (x, y) => Math.max(a(x, y), -b(x, y));
/** A wedge (angles in degrees, 0 = right, counter-clockwise) as a distance-like mask. */
const wedge = (cx, cy, from, to) => (x, y) => {
  const a = ((Math.atan2(cy - y, x - cx) * 180) / Math.PI + 360) % 360;
  return a >= from && a <= to ? -1 : 1;
};

/** Paints layers [shape, [r,g,b]] back to front with one-pixel anti-aliasing. */
function render(size, layers) {
  const out = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++)
    for (let px = 0; px < size; px++) {
      let [r, g, b, a] = [0, 0, 0, 0];
      for (const [shape, color] of layers) {
        const d = shape((px + 0.5) / size, (py + 0.5) / size) * size;
        const cover = Math.max(0, Math.min(1, 0.5 - d));
        if (!cover) continue;
        const na = cover + a * (1 - cover);
        r = (color[0] * cover + r * a * (1 - cover)) / na;
        g = (color[1] * cover + g * a * (1 - cover)) / na;
        b = (color[2] * cover + b * a * (1 - cover)) / na;
        a = na;
      }
      out.set([Math.round(r), Math.round(g), Math.round(b), Math.round(a * 255)], (py * size + px) * 4);
    }
  return out;
}

const WHITE = [255, 255, 255];
const STATES = {
  idle: {
    color: [29, 122, 70],
    glyph: union(segment(0.3, 0.52, 0.44, 0.66, 0.1), segment(0.44, 0.66, 0.7, 0.36, 0.1)),
  },
  syncing: {
    color: [31, 95, 191],
    glyph: union(minus(ring(0.5, 0.5, 0.2, 0.09), wedge(0.5, 0.5, 30, 100)), circle(0.62, 0.31, 0.07)),
  },
  warning: { color: [196, 130, 0], glyph: union(segment(0.5, 0.28, 0.5, 0.56, 0.11), circle(0.5, 0.71, 0.065)) },
  error: {
    color: [180, 35, 24],
    glyph: union(segment(0.35, 0.35, 0.65, 0.65, 0.1), segment(0.65, 0.35, 0.35, 0.65, 0.1)),
  },
  paused: {
    color: [93, 107, 124],
    glyph: union(segment(0.41, 0.33, 0.41, 0.67, 0.11), segment(0.59, 0.33, 0.59, 0.67, 0.11)),
  },
};

mkdirSync(outDir, { recursive: true });
for (const [state, { color, glyph }] of Object.entries(STATES)) {
  for (const [suffix, size] of [
    ["", 32],
    ["@2x", 64],
  ]) {
    writeFileSync(
      `${outDir}tray-${state}${suffix}.png`,
      png(
        size,
        render(size, [
          [circle(0.5, 0.5, 0.46), color],
          [glyph, WHITE],
        ]),
      ),
    );
  }
}
// App icon: a sync ring around a person, on the brand blue.
const appIcon = [
  [roundedSquare(0.04, 0.18), [31, 95, 191]],
  [minus(ring(0.5, 0.5, 0.3, 0.06), union(wedge(0.5, 0.5, 20, 70), wedge(0.5, 0.5, 200, 250))), WHITE],
  [circle(0.5, 0.42, 0.085), WHITE],
  [minus(circle(0.5, 0.7, 0.16), (x, y) => (y - 0.62 > 0 ? -1 : 1)), WHITE],
];
for (const size of [512, 256])
  writeFileSync(`${outDir}app${size === 512 ? "" : `-${size}`}.png`, png(size, render(size, appIcon)));
process.stdout.write(`icons written to ${outDir}\n`);
