// PDQ from a shrink-on-load decode (issue 34, item 5): a JPEG decoder can scale by 1/2, 1/4 or 1/8 as it decodes,
// at a fraction of a full decode's cost. How far is the hash of such a decode from the full decode's (Meta's
// reference pixels), on the ThreatExchange test images and the realistic set's JPEGs? Prints the distribution of the
// Hamming distances and the decode times, per scale.
// Usage: npm run bench:pdq-shrink
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { repoRoot } from '../search/generate.js';
import { decodeForPdq } from '../../src/media/pdq-file.js';
import { pdqFromPixels } from '../../src/media/pdq.js';
import { hammingDistance } from '../../src/media/pdq-distance.js';
import type { RawPixels } from '../../src/media/types.js';
import { pdqCorpus } from '../../test/helpers/corpus.js';

const INPUT = { autoOrient: false, ignoreIcc: true, failOn: 'none', limitInputPixels: false } as const;

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** The stored pixels decoded at 1/scale by the JPEG decoder itself (no resampling after). */
async function shrunk(file: string, scale: number): Promise<RawPixels> {
  const meta = await sharp(file, INPUT).metadata();
  const width = Math.ceil(meta.width! / scale);
  const height = Math.ceil(meta.height! / scale);
  const { data, info } = await sharp(file, INPUT)
    .resize(width, height, { fit: 'fill', fastShrinkOnLoad: true })
    .removeAlpha()
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, channels: 3 };
}

const sets: Record<string, string[]> = {
  threatexchange: walk(path.join(pdqCorpus, 'pdq', 'data')).filter((f) => /\.jpe?g$/i.test(f)),
  realistic: fs.existsSync(path.join(repoRoot, 'bench/analysis/.work/realistic-v1'))
    ? walk(path.join(repoRoot, 'bench/analysis/.work/realistic-v1')).filter((f) => /\.jpe?g$/i.test(f))
    : [],
};

const pct = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]!;
for (const [name, files] of Object.entries(sets)) {
  if (files.length === 0) continue;
  const full: string[] = [];
  let fullMs = 0;
  for (const file of files) {
    const started = performance.now();
    const pixels = await decodeForPdq(file);
    fullMs += performance.now() - started;
    full.push(pdqFromPixels(pixels).hash);
  }
  console.log(`${name}: ${files.length} JPEGs; full decode ${(fullMs / files.length).toFixed(0)} ms a photo`);
  for (const scale of [2, 4, 8]) {
    const distances: number[] = [];
    let ms = 0;
    for (const [i, file] of files.entries()) {
      const started = performance.now();
      const pixels = await shrunk(file, scale);
      ms += performance.now() - started;
      distances.push(hammingDistance(full[i]!, pdqFromPixels(pixels).hash));
    }
    const over8 = distances.filter((d) => d > 8).length;
    console.log(
      `  1/${scale}: decode ${(ms / files.length).toFixed(0)} ms; distance to the full decode's hash: median ${pct(distances, 0.5)}, ` +
        `p95 ${pct(distances, 0.95)}, max ${Math.max(...distances)}; over 8 bits: ${over8}`,
    );
  }
}
