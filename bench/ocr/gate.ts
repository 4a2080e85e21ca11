// The text gate (issue 34, item 2): which photos OCR runs on. Compares the pixel heuristic the pipeline uses without a
// CLIP model (src/ml/text-likely.ts) with PP-OCR's detector run small on the preview: for each, how many of the
// photos with text it lets through (recall), how many of those it lets through have text (precision), and its time
// per photo, on the corpus's albums (text / nature) and the realistic set (its `text-*` photos hold text).
// Usage: npm run bench:ocr-gate [-- --sides 480,640,960]
import fs from 'node:fs';
import path from 'node:path';
import { arg } from '../args.js';
import { repoRoot } from '../search/generate.js';
import { decodePhoto } from '../../src/media/decode.js';
import { textLikelihood } from '../../src/ml/text-likely.js';
import { decodeRgb } from '../../src/ml/paddle/detect.js';
import { createTextDetector } from '../../src/ml/paddle/detector.js';
import { assets } from '../../test/helpers/corpus.js';

const sides = (arg('sides') ?? '480,640,960').split(',').map(Number);
const work = path.join(repoRoot, 'bench/ocr/.work/previews');
fs.mkdirSync(work, { recursive: true });
const realistic = path.join(repoRoot, 'bench/analysis/.work/realistic-v1');

interface Sample {
  name: string;
  text: boolean;
  preview: string;
}

async function previewOf(file: string, name: string): Promise<string> {
  const out = path.join(work, `${name}.jpg`);
  if (!fs.existsSync(out)) {
    const mime = /\.hei[cf]$/i.test(file) ? 'image/heic' : 'image/jpeg';
    fs.writeFileSync(out, (await decodePhoto(file, mime)).preview);
  }
  return out;
}

const samples: Sample[] = [];
for (const [album, text] of [
  ['text', true],
  ['nature', false],
] as const) {
  for (const file of fs.readdirSync(path.join(assets, 'albums', album))) {
    samples.push({ name: `corpus/${file}`, text, preview: await previewOf(path.join(assets, 'albums', album, file), `corpus-${file}`) });
  }
}
if (fs.existsSync(realistic)) {
  for (const file of fs.readdirSync(realistic).sort()) {
    samples.push({ name: `realistic/${file}`, text: file.startsWith('text-'), preview: await previewOf(path.join(realistic, file), `realistic-${file}`) });
  }
} else {
  console.log('(no realistic set: run npm run bench:analysis once to build it)');
}

// the server's detector service (its session options), on one thread
const detector = createTextDetector({ threads: 1 });

function report(name: string, verdicts: boolean[], times: number[]): void {
  const passed = samples.filter((_, i) => verdicts[i]);
  const truePositives = passed.filter((s) => s.text).length;
  const withText = samples.filter((s) => s.text).length;
  const sorted = [...times].sort((a, b) => a - b);
  const missed = samples.filter((s, i) => s.text && !verdicts[i]).map((s) => s.name);
  const extra = samples.filter((s, i) => !s.text && verdicts[i]).map((s) => s.name);
  console.log(
    `${name}: recall ${truePositives}/${withText}, precision ${truePositives}/${passed.length}; ` +
      `median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} ms, p95 ${sorted[Math.floor(sorted.length * 0.95)]!.toFixed(0)} ms per photo` +
      `${missed.length ? `; missed ${missed.join(' ')}` : ''}${extra.length ? `; let through ${extra.join(' ')}` : ''}`,
  );
}

console.log(`${samples.length} photos, ${samples.filter((s) => s.text).length} with text (1 onnxruntime thread)`);
{
  const verdicts: boolean[] = [];
  const times: number[] = [];
  for (const sample of samples) {
    const started = performance.now();
    verdicts.push((await textLikelihood(sample.preview)).likely);
    times.push(performance.now() - started);
  }
  report('pixel heuristic', verdicts, times);
}
for (const side of sides) {
  const boxes: number[] = [];
  const times: number[] = [];
  for (const sample of samples) {
    const started = performance.now();
    const image = await decodeRgb(sample.preview, side);
    boxes.push((await detector.boxes(image, side)).length);
    times.push(performance.now() - started);
  }
  for (const least of [1, 2, 3, 5])
    report(
      `detector at ${side} px, ≥ ${least} boxes`,
      boxes.map((n) => n >= least),
      times,
    );
  console.log(
    `  boxes on photos without text: ${samples
      .flatMap((s, i) => (s.text ? [] : [boxes[i]]))
      .filter((n) => n! > 0)
      .join(' ')}`,
  );
}
await detector.close();
