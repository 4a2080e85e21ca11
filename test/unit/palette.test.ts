import path from 'node:path';

import sharp from 'sharp';
import { describe, expect, it } from 'vitest';

import { extractPalette, paletteFromImage } from '../../src/media/palette.js';
import type { PaletteColour, RawPixels } from '../../src/media/types.js';
import { assets } from '../helpers/corpus.js';

const nature = path.join(assets, 'albums', 'nature');

const rgbOf = (hex: string): [number, number, number] => {
  expect(hex).toMatch(/^#[0-9a-f]{6}$/);
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
};
const total = (p: PaletteColour[]): number => p.reduce((s, c) => s + c.share, 0);
const near = (hex: string, target: [number, number, number], tolerance: number): boolean => rgbOf(hex).every((v, i) => Math.abs(v - target[i]!) <= tolerance);

function solid(width: number, height: number, rgba: [number, number, number, number]): RawPixels {
  const data = new Uint8Array(width * height * 4);
  for (let p = 0; p < width * height; p++) data.set(rgba, p * 4);
  return { data, width, height, channels: 4 };
}

/** 100×20 image: the left 70 columns blue, the rest yellow. */
function blueYellow(): RawPixels {
  const data = new Uint8Array(100 * 20 * 3);
  for (let y = 0; y < 20; y++) {
    for (let x = 0; x < 100; x++) data.set(x < 70 ? [0, 0, 255] : [255, 255, 0], (y * 100 + x) * 3);
  }
  return { data, width: 100, height: 20, channels: 3 };
}

/** A busy image: smooth hue gradients plus deterministic noise. */
function busy(): RawPixels {
  const w = 120;
  const h = 90;
  const data = new Uint8Array(w * h * 3);
  let s = 12345;
  for (let p = 0; p < w * h; p++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const x = p % w;
    const y = Math.floor(p / w);
    data[p * 3] = (x * 2 + (s >>> 28)) & 255;
    data[p * 3 + 1] = (y * 3 + ((s >>> 20) & 15)) & 255;
    data[p * 3 + 2] = ((x + y) * 1.5) & 255;
  }
  return { data, width: w, height: h, channels: 3 };
}

describe('extractPalette', () => {
  it('gives one colour with share 1 for a solid image', () => {
    const p = extractPalette(solid(40, 30, [255, 0, 0, 255]));
    expect(p).toHaveLength(1);
    expect(p[0]!.hex).toBe('#ff0000');
    expect(p[0]!.share).toBe(1);
  });

  it('merges near-identical colours (JPEG-like noise on a flat colour)', () => {
    const img = solid(50, 50, [30, 120, 200, 255]);
    for (let p = 0; p < 2500; p++) {
      for (let c = 0; c < 3; c++) img.data[p * 4 + c] = img.data[p * 4 + c]! + ((p * 7 + c * 3) % 5) - 2;
    }
    const p = extractPalette(img);
    expect(p).toHaveLength(1);
    expect(near(p[0]!.hex, [30, 120, 200], 3)).toBe(true);
    expect(p[0]!.share).toBe(1);
  });

  it('finds 70 % blue and 30 % yellow', () => {
    const p = extractPalette(blueYellow());
    expect(p).toHaveLength(2);
    expect(p[0]).toEqual({ hex: '#0000ff', share: 0.7 });
    expect(p[1]).toEqual({ hex: '#ffff00', share: 0.3 });
  });

  it('handles grey input', () => {
    const data = new Uint8Array(60 * 10);
    for (let i = 0; i < data.length; i++) data[i] = i % 60 < 15 ? 20 : 230;
    const p = extractPalette({ data, width: 60, height: 10, channels: 1 });
    expect(p.map((c) => c.hex)).toEqual(['#e6e6e6', '#141414']);
    expect(p.map((c) => c.share)).toEqual([0.75, 0.25]);
  });

  it('ignores fully transparent pixels', () => {
    const img = solid(10, 10, [0, 200, 0, 255]);
    for (let p = 0; p < 60; p++) img.data.set([255, 0, 255, 0], p * 4); // invisible magenta
    expect(extractPalette(img)).toEqual([{ hex: '#00c800', share: 1 }]);
    expect(extractPalette(solid(4, 4, [10, 20, 30, 0]))).toEqual([]);
  });

  it('returns at most `count` colours, sorted by share, summing to 1, and is deterministic', () => {
    const img = busy();
    const p = extractPalette(img);
    expect(p).toHaveLength(5);
    for (let i = 1; i < p.length; i++) expect(p[i - 1]!.share).toBeGreaterThanOrEqual(p[i]!.share);
    expect(Math.abs(total(p) - 1)).toBeLessThanOrEqual(0.01);
    expect(new Set(p.map((c) => c.hex)).size).toBe(5);
    expect(extractPalette(img)).toEqual(p);
    expect(extractPalette({ ...img, data: img.data.slice() })).toEqual(p);

    const three = extractPalette(img, 3);
    expect(three).toHaveLength(3);
    expect(Math.abs(total(three) - 1)).toBeLessThanOrEqual(0.01);
    expect(extractPalette(img, 1)).toHaveLength(1);
  });

  it('rejects a bad count or buffer', () => {
    expect(() => extractPalette(blueYellow(), 0)).toThrow(RangeError);
    expect(() => extractPalette(blueYellow(), 2.5)).toThrow(RangeError);
    expect(() => extractPalette({ data: new Uint8Array(3), width: 2, height: 2, channels: 3 })).toThrow(RangeError);
  });
});

describe('paletteFromImage', () => {
  it('reads a WebP buffer and shrinks it', async () => {
    const img = blueYellow();
    const webp = await sharp(Buffer.from(img.data), { raw: { width: img.width, height: img.height, channels: 3 } })
      .resize(250, 50, { kernel: 'nearest' })
      .webp({ lossless: true })
      .toBuffer();
    const p = await paletteFromImage(webp);
    expect(Math.abs(total(p) - 1)).toBeLessThanOrEqual(0.01);
    // Resampling blends a column or two at the border; the two colours still dominate.
    expect(near(p[0]!.hex, [0, 0, 255], 8)).toBe(true);
    expect(p[0]!.share).toBeGreaterThan(0.65);
    expect(p[0]!.share).toBeLessThan(0.75);
    expect(near(p[1]!.hex, [255, 255, 0], 8)).toBe(true);
    expect(p[1]!.share).toBeGreaterThan(0.25);
    expect(p[1]!.share).toBeLessThan(0.35);
  });

  it('treats a solid PNG as one colour and ignores transparency', async () => {
    const png = await sharp({ create: { width: 300, height: 200, channels: 4, background: { r: 255, g: 0, b: 0, alpha: 1 } } })
      .png()
      .toBuffer();
    expect(await paletteFromImage(png)).toEqual([{ hex: '#ff0000', share: 1 }]);
    const clear = await sharp({ create: { width: 30, height: 20, channels: 4, background: { r: 9, g: 9, b: 9, alpha: 0 } } })
      .png()
      .toBuffer();
    expect(await paletteFromImage(clear)).toEqual([]);
  });
});

describe('paletteFromImage on real photos', () => {
  /** The ~250 px WebP thumbnail the pipeline would make. */
  const thumbnail = (file: string): Promise<Buffer> => sharp(path.join(nature, file)).autoOrient().resize(250, 250, { fit: 'inside' }).webp().toBuffer();

  it('El Torcal: a blue sky over grey-brown rock', async () => {
    const p = await paletteFromImage(await thumbnail('el_torcal_rocks.jpg'));
    expect(Math.abs(total(p) - 1)).toBeLessThanOrEqual(0.01);
    const [r, g, b] = rgbOf(p[0]!.hex);
    expect(b).toBeGreaterThan(r + 80); // sky blue dominates (observed #055b99, 41 %)
    expect(b).toBeGreaterThan(g + 30);
    expect(p[0]!.share).toBeGreaterThan(0.3);
    expect(p[0]!.share).toBeLessThan(0.55);
    // The rest is rock: neutral-ish, warm greys and browns.
    for (const c of p.slice(1)) {
      const [cr, cg, cb] = rgbOf(c.hex);
      expect(cr).toBeGreaterThanOrEqual(cb);
      expect(Math.max(cr, cg, cb) - Math.min(cr, cg, cb)).toBeLessThan(40);
    }
  });

  it('Jacob’s ladder: green foliage dominates, pale lilac flowers present', async () => {
    const p = await paletteFromImage(await thumbnail('polemonium_reptans.jpg'));
    const [r, g, b] = rgbOf(p[0]!.hex);
    expect(g).toBeGreaterThan(r); // observed #35470f
    expect(g).toBeGreaterThan(b + 30);
    expect(p[0]!.share).toBeGreaterThan(0.25);
    // A light, bluish flower colour (observed #c7c8d7).
    expect(
      p.some((c) => {
        const [cr, cg, cb] = rgbOf(c.hex);
        return cr + cg + cb > 500 && cb > cr && cb > cg;
      }),
    ).toBe(true);
  });

  it('Cyclamen: a pink flower among the two largest colours', async () => {
    const p = await paletteFromImage(await thumbnail('cyclamen_persicum.jpg'));
    expect(
      p.slice(0, 2).some((c) => {
        const [cr, cg, cb] = rgbOf(c.hex);
        return cr > cg + 50 && cb > cg + 20 && c.share > 0.2; // observed #c072a4, 31 %
      }),
    ).toBe(true);
  });

  it('reads a file path too, deterministically', async () => {
    const file = path.join(nature, 'prairie_falcon.jpg');
    const a = await paletteFromImage(file);
    expect(a.length).toBeGreaterThanOrEqual(2);
    expect(await paletteFromImage(file)).toEqual(a);
  });
});
