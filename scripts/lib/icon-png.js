// Draws the PNG app icons from web/icon.svg at build time, with no dependencies: the SVG may hold
// only <rect> (x, y, width, height, optional rx) and <circle> (cx, cy, r) with "#rrggbb" fills, drawn
// in order; anything else is refused, so the PNGs can never silently differ from the SVG. Edges are
// anti-aliased by 4 × 4 supersampling. Pure arithmetic and a fixed deflate level: the same SVG gives
// the same bytes on every run.
'use strict';
const zlib = require('zlib');

const SAMPLES = 4;

function attributes(tag) {
  const out = {};
  for (const m of tag.matchAll(/([a-zA-Z:-]+)="([^"]*)"/g)) out[m[1]] = m[2];
  return out;
}

function number(attrs, name, where, fallback) {
  if (attrs[name] === undefined && fallback !== undefined) return fallback;
  const value = Number(attrs[name]);
  if (attrs[name] === undefined || attrs[name].trim() === '' || !Number.isFinite(value) || value < 0) {
    throw new Error(where + ': attribute ' + name + ' must be a number ≥ 0 (found ' +
      JSON.stringify(attrs[name] === undefined ? null : attrs[name]) + ')');
  }
  return value;
}

function colour(attrs, where) {
  const m = /^#([0-9a-fA-F]{6})$/.exec(attrs.fill || '');
  if (!m) throw new Error(where + ': fill must be a colour like #10203f (found ' + JSON.stringify(attrs.fill || null) + ')');
  const n = parseInt(m[1], 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** The SVG's size (from viewBox "0 0 W H") and its shapes, each with a contains(x, y) test. */
function parseIcon(svg) {
  const text = svg.replace(/<!--[\s\S]*?-->/g, '');
  const root = /<svg\b[^>]*>/.exec(text);
  const box = root && /viewBox="0 0 ([0-9.]+) ([0-9.]+)"/.exec(root[0]);
  if (!box) throw new Error('icon.svg: the <svg> element needs viewBox="0 0 W H"');
  const width = Number(box[1]);
  const height = Number(box[2]);
  const body = text.slice(root.index + root[0].length).replace(/<\/svg>\s*$/, '');
  const shapes = [];
  for (const m of body.matchAll(/<[^>]*>/g)) {
    const tag = m[0];
    const name = (/^<([a-zA-Z]+)/.exec(tag) || [])[1];
    const attrs = attributes(tag);
    const where = 'icon.svg, shape ' + (shapes.length + 1) + ' (' + (name || tag.slice(0, 20)) + ')';
    const fill = () => colour(attrs, where);
    if (name === 'rect') {
      const x = number(attrs, 'x', where, 0);
      const y = number(attrs, 'y', where, 0);
      const w = number(attrs, 'width', where);
      const h = number(attrs, 'height', where);
      const r = Math.min(number(attrs, 'rx', where, 0), w / 2, h / 2);
      shapes.push({
        fill: fill(),
        contains(px, py) {
          if (px < x || px > x + w || py < y || py > y + h) return false;
          const dx = px - Math.min(Math.max(px, x + r), x + w - r);
          const dy = py - Math.min(Math.max(py, y + r), y + h - r);
          return dx * dx + dy * dy <= r * r;
        },
      });
    } else if (name === 'circle') {
      const cx = number(attrs, 'cx', where);
      const cy = number(attrs, 'cy', where);
      const r = number(attrs, 'r', where);
      shapes.push({ fill: fill(), contains: (px, py) => (px - cx) ** 2 + (py - cy) ** 2 <= r * r });
    } else {
      throw new Error(where + ': only <rect> and <circle> can be drawn as PNG; found ' + tag.slice(0, 40));
    }
  }
  if (shapes.length === 0) throw new Error('icon.svg has no shapes');
  return { width, height, shapes };
}

/** RGBA pixels (straight alpha), size × size, of the icon scaled to fit. */
function rasterise(icon, size) {
  const pixels = Buffer.alloc(size * size * 4);
  const scale = Math.max(icon.width, icon.height) / size;
  const n = SAMPLES * SAMPLES;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, covered = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const x = (px + (sx + 0.5) / SAMPLES) * scale;
          const y = (py + (sy + 0.5) / SAMPLES) * scale;
          for (let i = icon.shapes.length - 1; i >= 0; i--) {
            if (icon.shapes[i].contains(x, y)) {
              const [cr, cg, cb] = icon.shapes[i].fill;
              r += cr; g += cg; b += cb; covered++;
              break;
            }
          }
        }
      }
      const at = (py * size + px) * 4;
      if (covered > 0) {
        pixels[at] = Math.round(r / covered);
        pixels[at + 1] = Math.round(g / covered);
        pixels[at + 2] = Math.round(b / covered);
        pixels[at + 3] = Math.round((255 * covered) / n);
      }
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function encodePng(pixels, size) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1)); // each row: filter byte 0, then the pixels
  for (let y = 0; y < size; y++) pixels.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A PNG (Buffer) of the SVG icon's text at size × size pixels. */
function iconPng(svg, size) {
  return encodePng(rasterise(parseIcon(svg), size), size);
}

module.exports = { iconPng, parseIcon };
