// A near-duplicate set built from real corpus photos: each source photo plus the edits people actually
// make to photos (a shared smaller copy, a chat-app recompression, a slight crop, an "auto-enhance",
// a straightened horizon, a selfie mirror, a watermark), and unrelated photos that must stay apart.
// Deterministic: fixed inputs and parameters, and libvips output is byte-stable for a given version.

import { copyFile } from 'node:fs/promises';
import path from 'node:path';

import sharp from 'sharp';
import { assets, corpusDir } from './corpus.js';

// Not imported from ./server.js: that would load the whole app for a few paths.
export { corpusDir };

export type NearDuplicateEdit = 'original' | 'resize-50' | 'jpeg-q20' | 'crop-3pct' | 'tone' | 'rotate-3deg' | 'mirror' | 'watermark' | 'unrelated';

export interface NearDuplicateFile {
  path: string;
  /** The photo it was made from; unrelated photos are their own source. */
  source: string;
  edit: NearDuplicateEdit;
}

export interface NearDuplicateSet {
  files: NearDuplicateFile[];
  /** "Same photo" sets: source id → the paths of the original and all its edits (unrelated: just itself). */
  truth: Map<string, string[]>;
}

/**
 * Sources, chosen to differ in content, tone and geometry (paths under immich-test-assets/):
 * texture with a small subject, a landscape with a horizon, smooth low-contrast gradients (the hardest
 * case for a median-threshold hash), a black-and-white group portrait, a tall macro with a blurred
 * background, a dark 12 MP night street, and a bright 12 MP tall phone photo of a page with text.
 * All have orientation 1 or none, so stored pixels are what a viewer shows.
 */
export const NEAR_DUPLICATE_SOURCES: Readonly<Record<string, string>> = {
  falcon: 'albums/nature/prairie_falcon.jpg', // 800×533
  ridge: 'albums/nature/tanners_ridge.jpg', // 800×534
  dunes: 'metadata/rating/mongolels.jpg', // 950×634
  portrait: 'metadata/faces/portrait.jpg', // 840×700
  cyclamen: 'albums/nature/cyclamen_persicum.jpg', // 512×848
  shop: 'albums/text/japanese-shop.jpg', // 4217×2817
  book: 'albums/text/book-beside-flowers.jpg', // 3024×4032
};

/** Unrelated photos; two forest scenes and several flower close-ups are deliberately alike. */
export const UNRELATED_PHOTOS: Readonly<Record<string, string>> = {
  rocks: 'albums/nature/el_torcal_rocks.jpg',
  cactus: 'albums/nature/notocactus_minimus.jpg',
  violet: 'albums/nature/orychophragmus_violaceus.jpg',
  polemonium: 'albums/nature/polemonium_reptans.jpg',
  fir: 'albums/nature/silver_fir.jpg',
  anemones: 'albums/nature/wood_anemones.jpg',
  notes: 'albums/text/handwritten-notes.jpg',
  cat: 'metadata/gps-position/empty_gps.jpg',
};

const JPEG = { quality: 90 } as const;
const ROTATE_DEGREES = 3;
const CROP_FRACTION = 0.03;

type Edit = (input: string, width: number, height: number, output: string) => Promise<unknown>;

const EDITS: Readonly<Record<Exclude<NearDuplicateEdit, 'original' | 'unrelated'>, Edit>> = {
  'resize-50': (src, w, h, out) =>
    sharp(src)
      .resize(Math.round(w / 2), Math.round(h / 2))
      .jpeg(JPEG)
      .toFile(out),
  'jpeg-q20': (src, _w, _h, out) => sharp(src).jpeg({ quality: 20 }).toFile(out),
  'crop-3pct': (src, w, h, out) => {
    const left = Math.round(w * CROP_FRACTION);
    const top = Math.round(h * CROP_FRACTION);
    return sharp(src)
      .extract({ left, top, width: w - 2 * left, height: h - 2 * top })
      .jpeg(JPEG)
      .toFile(out);
  },
  // Brightness +15 %, then contrast +20 % about mid-grey: roughly what an "auto-enhance" does.
  tone: (src, _w, _h, out) =>
    sharp(src)
      .modulate({ brightness: 1.15 })
      .linear(1.2, -0.2 * 128)
      .jpeg(JPEG)
      .toFile(out),
  'rotate-3deg': rotateAndCrop,
  mirror: (src, _w, _h, out) => sharp(src).flop().jpeg(JPEG).toFile(out),
  watermark: (src, w, h, out) =>
    sharp(src)
      .composite([{ input: watermarkSvg(w, h), top: 0, left: 0 }])
      .jpeg(JPEG)
      .toFile(out),
};

export const NEAR_DUPLICATE_EDITS = Object.keys(EDITS) as Exclude<NearDuplicateEdit, 'original' | 'unrelated'>[];

/**
 * Rotates by 3° and crops to the largest centred rectangle of the original aspect ratio that holds no
 * border fill, as a photo editor's "straighten" does. A corner (±sw/2, ±sh/2) of the crop stays inside
 * the rotated w×h frame when s ≤ w / (w cos θ + h sin θ) and s ≤ h / (w sin θ + h cos θ).
 */
async function rotateAndCrop(src: string, w: number, h: number, out: string): Promise<unknown> {
  const theta = (ROTATE_DEGREES * Math.PI) / 180;
  const [cos, sin] = [Math.cos(theta), Math.sin(theta)];
  const s = Math.min(w / (w * cos + h * sin), h / (w * sin + h * cos));
  // One pixel less on each side keeps the interpolated, half-filled edge out.
  const width = Math.floor(w * s) - 2;
  const height = Math.floor(h * s) - 2;
  const rotated = await sharp(src).rotate(ROTATE_DEGREES).raw().toBuffer({ resolveWithObject: true });
  const { info } = rotated;
  return sharp(rotated.data, { raw: { width: info.width, height: info.height, channels: info.channels } })
    .extract({
      left: Math.floor((info.width - width) / 2),
      top: Math.floor((info.height - height) / 2),
      width,
      height,
    })
    .jpeg(JPEG)
    .toFile(out);
}

/** A corner copyright line, semi-transparent with a dark outline, sized to the photo like a real one. */
function watermarkSvg(w: number, h: number): Buffer {
  const size = Math.round(Math.min(w, h) / 12);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">` +
    `<text x="${w - size / 2}" y="${h - size / 2}" text-anchor="end" font-family="DejaVu Sans" ` +
    `font-weight="bold" font-size="${size}" fill="white" fill-opacity="0.7" ` +
    `stroke="black" stroke-opacity="0.5" stroke-width="${Math.max(1, size / 24)}">` +
    `© Shoebox 2026</text></svg>`;
  return Buffer.from(svg);
}

async function dimensions(file: string): Promise<{ width: number; height: number }> {
  const meta = await sharp(file).metadata();
  // Edits are made on stored pixels; a rotated source would make "stored" and "shown" disagree.
  if ((meta.orientation ?? 1) !== 1) {
    throw new Error(`near-duplicates: ${file} has EXIF orientation ${meta.orientation}`);
  }
  return { width: meta.width, height: meta.height };
}

/** Writes the set into `dir` (which must exist) and describes it. Sources are taken from the corpus. */
export async function buildNearDuplicateSet(dir: string, corpusAssets: string = assets): Promise<NearDuplicateSet> {
  const files: NearDuplicateFile[] = [];
  const truth = new Map<string, string[]>();
  const add = (file: NearDuplicateFile): void => {
    files.push(file);
    truth.set(file.source, [...(truth.get(file.source) ?? []), file.path]);
  };

  // Sequential on purpose: 12 MP edits in parallel would only fight over two cores and memory.
  for (const [id, rel] of Object.entries(NEAR_DUPLICATE_SOURCES)) {
    const src = path.join(corpusAssets, rel);
    const { width, height } = await dimensions(src);
    const original = path.join(dir, `${id}--original.jpg`);
    await copyFile(src, original);
    add({ path: original, source: id, edit: 'original' });
    for (const edit of NEAR_DUPLICATE_EDITS) {
      const out = path.join(dir, `${id}--${edit}.jpg`);
      await EDITS[edit](src, width, height, out);
      add({ path: out, source: id, edit });
    }
  }
  for (const [id, rel] of Object.entries(UNRELATED_PHOTOS)) {
    const out = path.join(dir, `${id}--unrelated.jpg`);
    await copyFile(path.join(corpusAssets, rel), out);
    add({ path: out, source: id, edit: 'unrelated' });
  }
  return { files, truth };
}
