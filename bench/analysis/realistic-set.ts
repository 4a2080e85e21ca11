// The realistic benchmark set: what a phone library looks like, made from the corpus so that it can be rebuilt on
// any machine. 100 photos of 12 MP (4000×3000, some shot upright and stored turned with EXIF orientation 6),
// distinct bytes, with sensor grain so that each JPEG weighs what a phone's does (~2.5 MB, not the ~1 MB of a
// smooth upscale), camera EXIF (make, model, date, GPS on some), a Display P3 profile on the "iPhone" ones and
// six HEIC files:
//   60 landscapes and objects (crops of the nature album, the denali, dunes, cat, lab-bench and vase photos),
//   30 with people (the Curies' portrait set into a scene at sizes from a group shot to a close-up),
//   10 with text (the four text photos, cropped and re-lit).
// Built once into bench/analysis/.work/realistic-v1/ (ignored by git) and reused; Debian's `vips` (libvips-tools,
// installed by the test set-up) decodes the HEIC/JPEG XL sources and encodes the HEIC files.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ExifTool } from 'exiftool-vendored';
import sharp, { type Sharp } from 'sharp';
import { runTool } from '../../src/media/decoders/tools.js';

export type RealisticCategory = 'typical' | 'people' | 'text';

interface PhotoSpec {
  name: string;
  category: RealisticCategory;
  heic: boolean;
  /** Stored turned by 90° with EXIF orientation 6 (a phone held upright). */
  upright: boolean;
  camera: { make: string; model: string; p3: boolean };
  takenAt: string;
  gps: { latitude: number; longitude: number } | null;
  seed: number;
  build(random: () => number): Promise<Sharp>;
}

const W = 4000;
const H = 3000;
const VERSION = 'realistic-v1';

const CAMERAS = [
  { make: 'Apple', model: 'iPhone 13', p3: true },
  { make: 'Apple', model: 'iPhone 15 Pro', p3: true },
  { make: 'samsung', model: 'SM-S911B', p3: false },
  { make: 'Google', model: 'Pixel 7', p3: false },
];
const PLACES = [
  { latitude: 48.8584, longitude: 2.2945 },
  { latitude: 36.7213, longitude: -4.4214 },
  { latitude: 63.3333, longitude: -150.5 },
  { latitude: 47.9186, longitude: 106.9177 },
];

/** Small deterministic PRNG (mulberry32): the same set on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Decodes a corpus file sharp may not read (HEIC with HEVC, JPEG XL) to PNG with Debian's vips, once. */
async function readable(file: string, cache: string): Promise<string> {
  if (!/\.(heic|jxl)$/i.test(file)) return file;
  const out = path.join(cache, `${path.basename(file)}.png`);
  if (!fs.existsSync(out)) await runTool('vips', ['copy', file, out]);
  return out;
}

/** A window of the upright source with the given aspect (w/h), `keep` of the largest such window, placed by fx, fy. */
async function window(file: string, aspect: number, keep: number, fx: number, fy: number): Promise<Sharp> {
  const upright = await sharp(file).rotate().toBuffer({ resolveWithObject: true });
  const { width, height } = upright.info;
  let w = width;
  let h = Math.round(width / aspect);
  if (h > height) {
    h = height;
    w = Math.round(height * aspect);
  }
  w = Math.max(16, Math.round(w * keep));
  h = Math.max(16, Math.round(h * keep));
  const left = Math.round((width - w) * fx);
  const top = Math.round((height - h) * fy);
  return sharp(upright.data).extract({ left, top, width: w, height: h });
}

/** The source at full size (w × h), re-lit and maybe mirrored. */
async function scene(file: string, w: number, h: number, random: () => number): Promise<Buffer> {
  const image = await window(file, w / h, 0.72 + 0.28 * random(), random(), random());
  let out = image.resize(w, h, { kernel: 'lanczos3' });
  if (random() < 0.5) out = out.flop();
  out = out.modulate({ brightness: 0.92 + 0.16 * random(), saturation: 0.9 + 0.25 * random(), hue: Math.round(-6 + 12 * random()) });
  return out.removeAlpha().toColourspace('srgb').png({ compressionLevel: 0 }).toBuffer();
}

/** Gaussian grain (σ ≈ 4.5 levels, as a phone's denoised sensor leaves it) over raw RGB, deterministic. */
function addGrain(data: Buffer, random: () => number): void {
  const table = new Int8Array(65536);
  for (let i = 0; i < table.length; i += 2) {
    const u = Math.max(1e-9, random());
    const v = random();
    const r = Math.sqrt(-2 * Math.log(u)) * 4.5;
    table[i] = Math.max(-127, Math.min(127, Math.round(r * Math.cos(2 * Math.PI * v))));
    table[i + 1] = Math.max(-127, Math.min(127, Math.round(r * Math.sin(2 * Math.PI * v))));
  }
  let x = Math.floor(random() * 0xffffffff) >>> 0 || 1;
  for (let i = 0; i < data.length; i += 1) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const value = data[i]! + table[(x >>> 0) & 0xffff]!;
    data[i] = value < 0 ? 0 : value > 255 ? 255 : value;
  }
}

async function specs(corpus: string, cache: string): Promise<PhotoSpec[]> {
  const at = (rel: string) => readable(path.join(corpus, rel), cache);
  const nature = fs
    .readdirSync(path.join(corpus, 'albums/nature'))
    .filter((name) => /\.jpe?g$/i.test(name))
    .sort()
    .map((name) => path.join(corpus, 'albums/nature', name));
  const typicalBases = [
    ...nature,
    await at('formats/webp/denali.webp'),
    await at('metadata/rating/mongolels.jpg'),
    await at('metadata/gps-position/empty_gps.jpg'),
    await at('formats/heic/IMG_2682.heic'),
    await at('formats/jxl/8bit-sRGB.jxl'),
    await at('formats/avif/8bit-sRGB.avif'),
  ];
  const textBases = fs
    .readdirSync(path.join(corpus, 'albums/text'))
    .sort()
    .map((name) => path.join(corpus, 'albums/text', name));
  const portrait = path.join(corpus, 'metadata/faces/portrait.jpg');

  const list: PhotoSpec[] = [];
  const add = (category: RealisticCategory, index: number, build: PhotoSpec['build'], heic: boolean) => {
    const seed = list.length * 7919 + 17;
    const random = prng(seed);
    const camera = CAMERAS[Math.floor(random() * CAMERAS.length)]!;
    const day = Math.floor(random() * 900);
    const taken = new Date(Date.UTC(2023, 3, 1, 7, 0, 0) + day * 86_400_000 + Math.floor(random() * 12 * 3_600_000));
    const gps = random() < 0.4 ? PLACES[Math.floor(random() * PLACES.length)]! : null;
    list.push({
      name: `${category}-${String(index).padStart(2, '0')}.${heic ? 'heic' : 'jpg'}`,
      category,
      heic,
      upright: !heic && category !== 'text' && index % 5 === 3,
      camera,
      takenAt: taken.toISOString(),
      gps,
      seed,
      build,
    });
  };

  for (let i = 0; i < 60; i += 1) {
    const base = typicalBases[i % typicalBases.length]!;
    add('typical', i, async (random) => sharp(await scene(base, W, H, random)), i % 15 === 7);
  }
  for (let i = 0; i < 30; i += 1) {
    const background = typicalBases[(i * 5 + 2) % typicalBases.length]!;
    add(
      'people',
      i,
      async (random) => {
        const backdrop = await sharp(await scene(background, W, H, random))
          .blur(2.5)
          .toBuffer();
        // From a group in the distance (the portrait a third of the frame's height) to a close-up (all of it).
        const height = Math.round(H * (0.36 + 0.64 * random()));
        const subject = await sharp(portrait)
          .resize({ height, kernel: 'lanczos3' })
          .modulate({ brightness: 0.95 + 0.1 * random() })
          .toBuffer({ resolveWithObject: true });
        const left = Math.round((W - Math.min(W, subject.info.width)) * random());
        const top = Math.round((H - subject.info.height) * (0.3 + 0.7 * random()));
        return sharp(backdrop).composite([{ input: subject.data, left, top }]);
      },
      i === 11,
    );
  }
  for (let i = 0; i < 10; i += 1) {
    const base = textBases[i % textBases.length]!;
    add('text', i, async (random) => sharp(await scene(base, W, H, random)), i === 5);
  }
  return list;
}

async function render(spec: PhotoSpec, file: string, exiftool: ExifTool): Promise<void> {
  const random = prng(spec.seed);
  const built = await (await spec.build(random)).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  addGrain(built.data, random);
  let image = sharp(built.data, { raw: { width: built.info.width, height: built.info.height, channels: 3 } });
  // A phone held upright stores the sensor's landscape pixels and says "turn 90° clockwise to view".
  if (spec.upright) {
    // sharp rotates before it resizes within one pipeline: make the upright frame first, then turn it.
    const upright = await image.resize(H, W, { fit: 'cover' }).raw().toBuffer({ resolveWithObject: true });
    image = sharp(upright.data, { raw: { width: upright.info.width, height: upright.info.height, channels: 3 } }).rotate(-90);
  }
  if (spec.heic) {
    const png = `${file}.png`;
    await image.png({ compressionLevel: 1 }).toFile(png);
    await runTool('vips', ['copy', png, `${file}[Q=${48 + Math.floor(random() * 8)},compression=hevc]`]);
    fs.rmSync(png);
  } else {
    if (spec.camera.p3) image = image.withIccProfile('p3');
    await image.jpeg({ quality: 88 + Math.floor(random() * 6), chromaSubsampling: '4:2:0' }).toFile(file);
  }
  const local = spec.takenAt.slice(0, 19).replace('T', ' ').replace(/-/g, ':');
  const tags: Record<string, unknown> = {
    Make: spec.camera.make,
    Model: spec.camera.model,
    DateTimeOriginal: local,
    CreateDate: local,
    OffsetTimeOriginal: '+00:00',
  };
  if (spec.upright) tags.Orientation = 6;
  if (spec.gps) {
    tags.GPSLatitude = Math.abs(spec.gps.latitude);
    tags.GPSLatitudeRef = spec.gps.latitude >= 0 ? 'N' : 'S';
    tags.GPSLongitude = Math.abs(spec.gps.longitude);
    tags.GPSLongitudeRef = spec.gps.longitude >= 0 ? 'E' : 'W';
  }
  await exiftool.write(file, tags as never, { writeArgs: ['-overwrite_original', '-n'] });
}

export interface RealisticSet {
  dir: string;
  photos: { name: string; category: RealisticCategory; heic: boolean; upright: boolean }[];
}

/** Makes (or reuses) the set; checks that every file has its own bytes. */
export async function makeRealisticSet(corpus: string, work: string): Promise<RealisticSet> {
  const dir = path.join(work, VERSION);
  const cache = path.join(work, 'sources');
  fs.mkdirSync(dir, { recursive: true });
  fs.mkdirSync(cache, { recursive: true });
  const list = await specs(corpus, cache);
  const missing = list.filter((spec) => !fs.existsSync(path.join(dir, spec.name)));
  if (missing.length > 0) {
    const exiftool = new ExifTool({ maxProcs: 2 });
    try {
      let next = 0;
      const workers = Array.from({ length: Math.min(2, os.availableParallelism()) }, async () => {
        while (next < missing.length) {
          const spec = missing[next++]!;
          const file = path.join(dir, spec.name);
          const temp = `${file}.part${path.extname(file)}`;
          await render(spec, temp, exiftool);
          fs.renameSync(temp, file);
          process.stdout.write(`\r  made ${list.length - missing.length + next}/${list.length} realistic photos`);
        }
      });
      await Promise.all(workers);
      process.stdout.write('\n');
    } finally {
      await exiftool.end();
    }
  }
  const seen = new Map<string, string>();
  for (const spec of list) {
    const sha = createHash('sha256')
      .update(fs.readFileSync(path.join(dir, spec.name)))
      .digest('hex');
    if (seen.has(sha)) throw new Error(`${spec.name} and ${seen.get(sha)} have the same bytes`);
    seen.set(sha, spec.name);
  }
  return { dir, photos: list.map(({ name, category, heic, upright }) => ({ name, category, heic, upright })) };
}
