// OCR on the corpus's text photos (issue 34): for each engine, the share of the words a person reads that come out
// (test/helpers/ocr-truth.ts), the time per text photo (median and p95 of `--runs` runs), words "read" on the nature
// photos (which have none), and a bare decode of the same files in the same run as the reference for the ratio.
// Usage: npm run bench:ocr [-- --engines paddle,tesseract --runs 3 --source pipeline|original --detect 1280 --read 2560 --threads 1]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { arg } from '../args.js';
import { createOcr, type Ocr } from '../../src/ml/ocr.js';
import { createPaddleOcr } from '../../src/ml/paddle/paddle-ocr.js';
import { assets } from '../../test/helpers/corpus.js';
import { OCR_TRUTH, wordsRead } from '../../test/helpers/ocr-truth.js';

const engines = (arg('engines') ?? 'paddle,tesseract').split(',');
const runs = Number(arg('runs') ?? 3);
/** pipeline: the preview and the original, as the OCR step gives them; original: the original alone. */
const source = arg('source') ?? 'pipeline';
const textDir = path.join(assets, 'albums/text');
const natureDir = path.join(assets, 'albums/nature');
const work = mkdtempSync(path.join(os.tmpdir(), 'shoebox-bench-ocr-'));

/** What the engine is given: the original, or a 1440 px preview (as the pipeline makes it) and the original. */
async function input(file: string): Promise<[string, string?]> {
  if (source === 'original') return [file];
  const out = path.join(work, path.basename(file));
  await sharp(file).rotate().resize(1440, 1440, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 85 }).toFile(out);
  return [out, file];
}

const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]!;
const ms = (value: number) => `${Math.round(value)} ms`;

function make(engine: string): Ocr {
  if (engine === 'tesseract') return createOcr();
  if (engine === 'paddle') {
    const detectSide = arg('detect') ? Number(arg('detect')) : undefined;
    const readSide = arg('read') ? Number(arg('read')) : undefined;
    return createPaddleOcr({ detectSide, readSide, threads: arg('threads') ? Number(arg('threads')) : undefined });
  }
  throw new Error(`unknown engine ${engine}`);
}

const textFiles = await Promise.all(Object.keys(OCR_TRUTH).map((name) => input(path.join(textDir, name))));
const natureFiles = await Promise.all(
  ['cyclamen_persicum.jpg', 'el_torcal_rocks.jpg', 'prairie_falcon.jpg', 'silver_fir.jpg', 'wood_anemones.jpg'].map((name) =>
    input(path.join(natureDir, name)),
  ),
);

// the reference: decoding each text photo, upright, to raw pixels
const decodeTimes: number[] = [];
for (let run = 0; run < runs; run++) {
  for (const file of textFiles) {
    const started = performance.now();
    await sharp(file.at(-1)!).rotate().raw().toBuffer();
    decodeTimes.push(performance.now() - started);
  }
}
const decodeMedian = quantile(decodeTimes, 0.5);
console.log(`source: ${source}; bare decode of a text photo (its original): median ${ms(decodeMedian)}`);

for (const engine of engines) {
  const ocr = make(engine);
  await ocr.recognize(...textFiles[0]!); // models loaded, workers started
  const times: number[] = [];
  let read = 0;
  let total = 0;
  const perPhoto: string[] = [];
  for (const [i, file] of textFiles.entries()) {
    const name = Object.keys(OCR_TRUTH)[i]!;
    let text = '';
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      text = (await ocr.recognize(...file)).text;
      times.push(performance.now() - started);
    }
    const found = wordsRead(text, OCR_TRUTH[name]!);
    read += found.read.length;
    total += OCR_TRUTH[name]!.length;
    perPhoto.push(`  ${name}: ${found.read.length}/${OCR_TRUTH[name]!.length}; missed ${found.missed.join(' ')}`);
  }
  let falseWords = 0;
  for (const file of natureFiles) falseWords += (await ocr.recognize(...file)).words.length;
  await ocr.close();
  const median = quantile(times, 0.5);
  console.log(
    `${engine} (${ocr.version}): ${read}/${total} words (${Math.round((read / total) * 100)} %); per text photo median ${ms(median)} ` +
      `(${(median / decodeMedian).toFixed(2)}× a bare decode), p95 ${ms(quantile(times, 0.95))}; words on ${natureFiles.length} photos without text: ${falseWords}`,
  );
  for (const line of perPhoto) console.log(line);
}
rmSync(work, { recursive: true, force: true });
