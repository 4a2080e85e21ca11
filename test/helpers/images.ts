// Made-up pictures for tests: colours the CLIP fixture models recognise, with noise so they are photo-like JPEGs.
import path from 'node:path';

import sharp, { type Sharp } from 'sharp';

export type Rgb = [number, number, number];

/**
 * Raw 3-channel pixels: each pixel is `colourAt(x, y)` plus one `noise(i)` for all three channels, clamped to
 * 0–255. `noise` is called once per pixel in raster order (i = y × width + x), so a stateful generator works.
 */
export function rawPicture(width: number, height: number, colourAt: (x: number, y: number) => Rgb, noise: (i: number) => number = () => 0): Sharp {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const n = noise(i);
      const base = colourAt(x, y);
      for (let c = 0; c < 3; c++) pixels[i * 3 + c] = Math.max(0, Math.min(255, base[c]! + n));
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } });
}

/** Seeded noise for rawPicture, uniform in −spread…spread (a linear congruential generator: the same on every run). */
export function seededNoise(seed: number, spread: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return (state % (2 * spread + 1)) - spread;
  };
}

/** A photo-like picture: mostly one colour, with a band of another, some seeded noise, not square. */
export async function mostly(file: string, rgb: Rgb, band: Rgb, seed: number): Promise<string> {
  const width = 480;
  const height = 320;
  const noise = seededNoise(seed, 20);
  await rawPicture(width, height, (_x, y) => (y > height * 0.75 ? band : rgb), noise)
    .jpeg({ quality: 85 })
    .toFile(file);
  return file;
}

/** Red, green, blue and yellow `mostly` photos in `dir` (the colours both CLIP fixtures rank), by name. */
export async function colourPhotos(dir: string, seed: number): Promise<Record<'red' | 'green' | 'blue' | 'yellow', string>> {
  const grey: Rgb = [120, 120, 120];
  return {
    red: await mostly(path.join(dir, 'red.jpg'), [200, 30, 35], grey, seed),
    green: await mostly(path.join(dir, 'green.jpg'), [50, 140, 45], [90, 140, 220], seed),
    blue: await mostly(path.join(dir, 'blue.jpg'), [35, 80, 200], grey, seed),
    yellow: await mostly(path.join(dir, 'yellow.jpg'), [235, 215, 40], grey, seed),
  };
}

/** A flat-colour photo with a little texture, so it is a real JPEG with a dominant colour. */
export function colourPhoto(rgb: Rgb): Promise<Buffer> {
  return rawPicture(
    320,
    240,
    () => rgb,
    (i) => ((i * 2654435761) >>> 28) - 8,
  )
    .jpeg({ quality: 90 })
    .toBuffer();
}
