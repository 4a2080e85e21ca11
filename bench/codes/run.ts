// The codes step's cost and reach (issue 64, items 4 and 5): what it costs to read QR codes and barcodes on a 12 MP
// phone photo, from the 1440 px preview preprocessing stores against the original's pixels, as a ratio to a bare
// sharp decode of that original in the same run; and from what width a code is found at each. Codes are written by
// zxing-wasm's writer and laid onto book-beside-flowers.jpg (3024×4032), turned 7° and slanted, as in the tests.
// Last, the main thread's event-loop delay during a batch of reads: decoded on the main thread (as the step did before
// the worker) against through the codes worker thread (as the step does now).
// Usage: node --import tsx bench/codes/run.ts [-- --repeat 5]
import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import sharp from 'sharp';
import { arg } from '../args.js';
import { decodePhoto } from '../../src/media/decode.js';
import { decodeCodes } from '../../src/media/codes.js';
import { createCodeReader } from '../../src/ml/codes.js';
import { CODE_EAN, CODE_MATRIX, CODE_URL, code, printed } from '../../test/helpers/codes.js';
import { assets } from '../../test/helpers/corpus.js';

const repeat = Number(arg('repeat') ?? 5);
const photo = path.join(assets, 'albums/text/book-beside-flowers.jpg');
const work = mkdtempSync(path.join(os.tmpdir(), 'shoebox-bench-codes-'));
const reader = createCodeReader();
const readCodes = (file: string) => reader.read(file);
const WIDTHS = [60, 80, 100, 120, 160, 200, 260, 330, 400, 500, 620];
const KINDS = [
  { name: 'QR (URL, version 4)', text: CODE_URL, format: 'QRCode' as const },
  { name: 'EAN-13', text: CODE_EAN, format: 'EAN-13' as const },
  { name: 'Data Matrix', text: CODE_MATRIX, format: 'DataMatrix' as const },
];

async function median(run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

/** The photo with one code at `width` px, as a camera's JPEG, and the preview the pipeline makes of it. */
async function withCode(png: Buffer, width: number, name: string): Promise<{ original: string; preview: string }> {
  const original = path.join(work, `${name}.jpg`);
  await sharp(photo)
    .composite([{ input: await printed(png, width, 7), left: 1900, top: 700 }])
    .jpeg({ quality: 88 })
    .toFile(original);
  const preview = path.join(work, `${name}-preview.jpg`);
  await writeFile(preview, (await decodePhoto(original, 'image/jpeg')).preview);
  return { original, preview };
}

async function reach(): Promise<void> {
  console.log('\nsmallest width found (px in the 3024 px wide original; its share of the width):');
  for (const kind of KINDS) {
    const png = await code(kind.text, { format: kind.format, scale: 4 });
    const found = { preview: null as number | null, original: null as number | null };
    for (const width of WIDTHS) {
      const files = await withCode(png, width, `${kind.format}-${width}`);
      const reads = async (file: string) => (await readCodes(file)).some((c) => c.text === kind.text);
      if (found.preview === null && (await reads(files.preview))) found.preview = width;
      if (found.original === null && (await reads(files.original))) found.original = width;
    }
    const show = (w: number | null) => (w === null ? `not at ≤ ${WIDTHS.at(-1)} px` : `${w} px (${((w / 3024) * 100).toFixed(1)} %)`);
    console.log(`  ${kind.name.padEnd(20)} preview ${show(found.preview).padEnd(20)} original ${show(found.original)}`);
  }
}

async function cost(): Promise<void> {
  const qr = await withCode(await code(CODE_URL, { format: 'QRCode', scale: 4 }), 330, 'cost');
  const plainPreview = path.join(work, 'plain-preview.jpg');
  await writeFile(plainPreview, (await decodePhoto(photo, 'image/jpeg')).preview);
  const bare = await median(() => sharp(photo).raw().toBuffer());
  const rows: [string, number][] = [
    ['bare sharp decode of the 12 MP original (reference)', bare],
    ['codes step on the preview, a photo without a code', await median(() => readCodes(plainPreview))],
    ['codes step on the preview, a photo with a QR code', await median(() => readCodes(qr.preview))],
    ['the original instead, a photo without a code', await median(() => readCodes(photo))],
    ['the original instead, a photo with a QR code', await median(() => readCodes(qr.original))],
  ];
  console.log(`\ncost per photo (median of ${repeat}):`);
  for (const [name, ms] of rows) console.log(`  ${name.padEnd(54)} ${ms.toFixed(0).padStart(5)} ms  ${(ms / bare).toFixed(2)}×`);
}

/** The event loop's delay (p50, p99, max) while `read` runs over the batch, two reads at once (as the ocr lane). */
async function loopDelay(batch: string[], read: (file: string) => Promise<unknown>): Promise<string> {
  const monitor = monitorEventLoopDelay({ resolution: 10 });
  monitor.enable();
  const started = performance.now();
  for (let i = 0; i < batch.length; i += 2) await Promise.all(batch.slice(i, i + 2).map(read));
  const wall = performance.now() - started;
  monitor.disable();
  const ms = (ns: number) => (ns / 1e6).toFixed(0).padStart(4);
  return `p50 ${ms(monitor.percentile(50))} ms  p99 ${ms(monitor.percentile(99))} ms  max ${ms(monitor.max)} ms  (batch ${wall.toFixed(0)} ms)`;
}

async function blocking(): Promise<void> {
  const qr = await withCode(await code(CODE_URL, { format: 'QRCode', scale: 4 }), 330, 'loop');
  const batch = Array.from({ length: 4 * repeat }, (_, i) => (i % 2 === 0 ? qr.preview : qr.original));
  await decodeCodes(qr.preview); // this thread's wasm compiled, outside the timings
  console.log(`
event-loop delay of the main thread during ${batch.length} reads (previews and originals, 2 at once):`);
  console.log(`  decoded on the main thread     ${await loopDelay(batch, (file) => decodeCodes(file))}`);
  console.log(`  decoded in the codes worker    ${await loopDelay(batch, readCodes)}`);
}

try {
  await readCodes(photo); // the worker started and its wasm compiled once, outside the timings
  await cost();
  await reach();
  await blocking();
} finally {
  await reader.close();
  rmSync(work, { recursive: true, force: true });
}
