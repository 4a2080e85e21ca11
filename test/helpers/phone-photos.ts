// Phone-sized photos for tests that need real weight: 12 MP (4000×3000) JPEGs of ~2–4 MB made from the corpus's
// nature album (upscaled, hue turned, sensor grain added). Ten pictures are built into the temporary folder once per
// machine and reused (never committed); each photo asked for is one of them with bytes of its own after the end of
// the image, so that every photo is stored and analysed as a file of its own.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { assets } from './corpus.js';

const W = 4000;
const H = 3000;
const VERSION = 'phone-photos-v1';

const PICTURES = 10;

/** `count` distinct 12 MP JPEGs, named phone-N.jpg. */
export async function phonePhotos(count: number): Promise<{ name: string; data: Buffer }[]> {
  const pictures = await phonePictures(Math.min(count, PICTURES));
  return Array.from({ length: count }, (_, i) => ({
    name: `phone-${i}.jpg`,
    data: Buffer.concat([fs.readFileSync(pictures[i % pictures.length]!), Buffer.from(`#phone-${i}`)]),
  }));
}

/** `count` different 12 MP pictures; their paths. Made two at a time where missing. */
async function phonePictures(count: number): Promise<string[]> {
  const dir = path.join(os.tmpdir(), `shoebox-${VERSION}`);
  fs.mkdirSync(dir, { recursive: true });
  const sources = fs
    .readdirSync(path.join(assets, 'albums/nature'))
    .sort()
    .map((name) => path.join(assets, 'albums/nature', name));
  const files = Array.from({ length: count }, (_, i) => path.join(dir, `phone-${String(i).padStart(3, '0')}.jpg`));
  let next = 0;
  const make = async () => {
    while (next < files.length) {
      const i = next++;
      const file = files[i]!;
      if (fs.existsSync(file)) continue;
      const grain = await sharp({ create: { width: W, height: H, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 18 } } })
        .png({ compressionLevel: 0 })
        .toBuffer();
      const temp = `${file}.part.jpg`;
      await sharp(sources[i % sources.length]!)
        .resize(W, H, { fit: 'cover' })
        .modulate({ hue: (i * 37) % 360, brightness: 0.9 + (i % 5) * 0.05 })
        .composite([{ input: grain, blend: 'overlay' }])
        .withMetadata({ exif: { IFD0: { Make: 'Shoebox', Model: 'Test Phone' } } })
        .jpeg({ quality: 88 })
        .toFile(temp);
      fs.renameSync(temp, file);
    }
  };
  await Promise.all([make(), make()]);
  return files;
}
