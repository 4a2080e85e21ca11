// PP-OCR in worker threads (src/ml/paddle/threaded.ts), as the server runs it: the main thread keeps answering while
// a photo is read, the readings are the in-thread engine's, errors keep their classes, and an idle worker goes.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { decodePhoto } from '../../src/media/decode.js';
import { ImageDecodeError } from '../../src/media/decoders/common.js';
import { createTextDetector, gateBoxes } from '../../src/ml/paddle/detector.js';
import { bundledPaddleModels } from '../../src/ml/paddle/models.js';
import { createPaddleOcr } from '../../src/ml/paddle/paddle-ocr.js';
import { createPaddleThreads, type PaddleThreads } from '../../src/ml/paddle/threaded.js';
import { assets } from '../helpers/corpus.js';

const BEER = path.join(assets, 'albums/text/craft-beer.jpg');

/** The longest the event loop went without running a 5 ms timer while `work` ran. */
async function longestStall(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return longest;
}

describe('PP-OCR in worker threads', () => {
  let threads: PaddleThreads;
  let tmp: string;
  let preview: string;

  beforeAll(async () => {
    threads = createPaddleThreads({ threads: 2, idleMs: 0 });
    tmp = await mkdtemp(path.join(os.tmpdir(), 'shoebox-ppocr-threads-'));
    preview = path.join(tmp, 'craft-beer-preview.jpg');
    await writeFile(preview, (await decodePhoto(BEER, 'image/jpeg')).preview);
  });

  afterAll(async () => {
    await threads?.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('reads a photo as the in-thread engine does, while the main thread keeps running', async () => {
    const ocr = threads.ocr(bundledPaddleModels());
    await ocr.recognize(preview, BEER); // the models load once
    let threaded: Awaited<ReturnType<typeof ocr.recognize>> | undefined;
    const stall = await longestStall(async () => {
      threaded = await ocr.recognize(preview, BEER);
    });
    // in the main thread, the 1,280 px detector pass alone held the event loop for ~300–900 ms here
    expect(stall).toBeLessThan(150);
    const local = createPaddleOcr();
    try {
      expect(threaded).toEqual(await local.recognize(preview, BEER));
    } finally {
      await local.close();
    }
    expect(threaded!.text).toContain('HOPADILLO');
    expect(ocr.version).toBe(local.version);
    expect(ocr.workerCount).toBe(1);
  }, 120_000);

  it('counts the gate boxes the in-thread detector counts', async () => {
    const detector = createTextDetector({ threads: 1 });
    try {
      expect(await threads.gateBoxes(preview)).toBe(await gateBoxes(detector, preview));
    } finally {
      await detector.close();
    }
  }, 60_000);

  it('fails a file that is not an image with an ImageDecodeError, and keeps working', async () => {
    const garbage = path.join(tmp, 'garbage.jpg');
    await writeFile(garbage, Buffer.from('this is not a JPEG at all, just some words'));
    const failure = await threads.gateBoxes(garbage).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ImageDecodeError);
    expect((failure as Error).message).toContain(garbage);
    await expect(threads.ocr(bundledPaddleModels()).recognize(garbage)).rejects.toBeInstanceOf(ImageDecodeError);
    expect(await threads.gateBoxes(preview)).toBeGreaterThan(5);
  }, 60_000);

  it('lets an idle worker go, its models with it, and starts one again for the next photo', async () => {
    const resting = createPaddleThreads({ threads: 1, idleMs: 300 });
    try {
      const boxes = await resting.gateBoxes(preview);
      expect(resting.workerCount).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 900));
      expect(resting.workerCount).toBe(0);
      expect(await resting.gateBoxes(preview)).toBe(boxes);
    } finally {
      await resting.close();
    }
  }, 60_000);
});
