// The phone's camera roll for the phone benchmark: 200 distinct JPEGs made with sharp from the corpus's real photos
// (nature and text albums), each cropped, turned in hue and brightness and sized as a phone's camera or a messaging
// app leaves them: every fifth 3024×2268 (q88), the rest 2400×1800 or 1600×1200 (q85). Made once into
// bench/phone/.work/roll-v1/ and reused.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { assets } from '../../test/helpers/corpus.js';

export interface RollPhoto {
  path: string;
  name: string;
  size: number;
  sha256: string;
}

const VERSION = 'roll-v1';

function sources(): string[] {
  return ['nature', 'text'].flatMap((dir) =>
    fs
      .readdirSync(path.join(assets, 'albums', dir))
      .filter((name) => /\.jpe?g$/iu.test(name))
      .sort()
      .map((name) => path.join(assets, 'albums', dir, name)),
  );
}

const sizeFor = (i: number): [number, number, number] => (i % 5 === 0 ? [3024, 2268, 88] : i % 2 === 0 ? [2400, 1800, 85] : [1600, 1200, 85]);

/** `count` photos named IMG_1000.jpg…, made where missing (two at a time); their paths, sizes and SHA-256s. */
export async function cameraRoll(workDir: string, count: number, log: (line: string) => void): Promise<RollPhoto[]> {
  const dir = path.join(workDir, VERSION);
  fs.mkdirSync(dir, { recursive: true });
  const from = sources();
  const names = Array.from({ length: count }, (_, i) => `IMG_${1000 + i}.jpg`);
  const missing = names.map((name, i) => [name, i] as const).filter(([name]) => !fs.existsSync(path.join(dir, name)));
  if (missing.length > 0) log(`making ${missing.length} photos in ${dir}…`);
  for (let at = 0; at < missing.length; at += 2) {
    await Promise.all(
      missing.slice(at, at + 2).map(async ([name, i]) => {
        const [width, height, quality] = sizeFor(i);
        const source = from[i % from.length]!;
        // a crop of its own from an enlarged copy: each photo a different framing of a real scene
        const wide = Math.round(width * 1.25);
        const tall = Math.round(height * 1.25);
        const left = ((i * 37) % 100) / 100;
        const top = ((i * 53) % 100) / 100;
        const file = path.join(dir, name);
        await sharp(source)
          .rotate()
          .resize(wide, tall, { fit: 'cover' })
          .extract({ left: Math.round((wide - width) * left), top: Math.round((tall - height) * top), width, height })
          .modulate({ hue: (i * 47) % 360, brightness: 0.85 + (i % 7) * 0.05, saturation: 0.9 + (i % 5) * 0.05 })
          .jpeg({ quality, mozjpeg: false })
          .toFile(`${file}.part`);
        fs.renameSync(`${file}.part`, file);
      }),
    );
  }
  return names.map((name) => {
    const file = path.join(dir, name);
    const bytes = fs.readFileSync(file);
    return { path: file, name, size: bytes.length, sha256: crypto.createHash('sha256').update(bytes).digest('hex') };
  });
}
