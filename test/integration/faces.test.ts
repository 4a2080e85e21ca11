// Faces: face-api detection + FaceRes descriptors in worker threads on real photos. The Curie portrait and its
// EXIF-orientation-6 copy must give the same two people in the same upright places, with matching descriptors;
// photos without people give none; bad files fail clearly without taking the pool down. Numbers behind the
// tolerances: bench/results/faces-measurement.md.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createFaceDetector,
  cropFaceThumbnail,
  FACE_DESCRIPTOR_DIMENSIONS,
  PEOPLE_MAX_DISTANCE,
  SAME_PERSON_MAX_DISTANCE,
  WorkerPoolError,
  type FaceDetectorPool,
} from '../../src/ml/faces/index.js';
import { describeFaces, faceCrop, loadFaceRes, tfjsFaceRes } from '../../src/ml/faces/descriptor.js';
import { detectFaces, loadFaceModels } from '../../src/ml/faces/detect.js';
import { loadFaceResOnnx, runFaceResOnnx } from '../../src/ml/faces/faceres-onnx.js';
import { WorkerPool } from '../../src/ml/worker-pool.js';
import { DEFAULT_FACE_SETTINGS } from '../../src/ml/faces/settings.js';
import { locateFacesOnnx } from '../../src/ml/faces/ssd-onnx.js';
import type { Box, DetectedFace } from '../../src/ml/types.js';
import { assets } from '../helpers/corpus.js';

const ASSETS = assets;
const PORTRAIT = path.join(ASSETS, 'metadata/faces/portrait.jpg');
const PORTRAIT_6 = path.join(ASSETS, 'metadata/faces/portrait-orientation-6.jpg');
/** Upright size of both portrait files (the orientation-6 one is stored 700×840). */
const UPRIGHT = { width: 840, height: 700 };
/** Measured: no detection at any score ≥ 0.1 on these. */
const NO_PEOPLE = ['albums/nature/prairie_falcon.jpg', 'albums/nature/cyclamen_persicum.jpg', 'albums/nature/tanners_ridge.jpg'];

const centre = (b: Box) => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 });
const gap = (a: Box, b: Box) => Math.hypot(centre(a).x - centre(b).x, centre(a).y - centre(b).y);
const cosineDistance = (a: Float32Array, b: Float32Array) => 1 - a.reduce((sum, v, i) => sum + v * b[i]!, 0);
/** Marie stands left, Pierre (in profile) right. */
const byX = (faces: DetectedFace[]) => [...faces].sort((a, b) => a.box.x - b.box.x);

async function uprightSize(file: string) {
  const { info } = await sharp(file).rotate().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height };
}

describe('faces: face-api SSD + 68 landmarks + FaceRes 1024-d descriptors in worker threads', () => {
  let detector: FaceDetectorPool;
  let tmp: string;
  let curies: DetectedFace[];
  let curies6: DetectedFace[];

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'shoebox-faces-'));
    detector = createFaceDetector({ concurrency: 2 });
    [curies, curies6] = await Promise.all([detector.detect(PORTRAIT, UPRIGHT), detector.detect(PORTRAIT_6, UPRIGHT)]);
  });

  afterAll(async () => {
    await detector?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('names library, models and settings in its version', () => {
    expect(detector.version).toMatch(
      /^face-api-ssd-mobilenet-v1\+landmark68@\d+\.\d+\.\d+;descriptor=human-faceres-1024@\d+\.\d+\.\d+;crop=1\.25-mirror-avg;min-score=0\.25;min-size=24;max-side=1024;ssd-runtime=onnx;one-box=iou0\.3-inside0\.7$/,
    );
    expect(detector.dimensions).toBe(1024);
    expect(FACE_DESCRIPTOR_DIMENSIONS).toBe(1024);
    // Clustering chains faces, so its eps sits below the pairwise same-person threshold.
    expect(PEOPLE_MAX_DISTANCE).toBeLessThan(SAME_PERSON_MAX_DISTANCE);
  });

  it('finds both Curies on portrait.jpg, Pierre in profile included', () => {
    expect(curies).toHaveLength(2);
    const [marie, pierre] = byX(curies) as [DetectedFace, DetectedFace];
    // Centres read off the photo: Marie's face around (313, 222), Pierre's profile around (575, 165).
    expect(gap(marie.box, { x: 313, y: 222, width: 0, height: 0 })).toBeLessThan(30);
    expect(gap(pierre.box, { x: 575, y: 165, width: 0, height: 0 })).toBeLessThan(40);
    expect(marie.score).toBeGreaterThan(0.5);
    expect(pierre.score).toBeGreaterThanOrEqual(detector.settings.minScore);
    for (const face of curies) {
      expect(face.embedding).toBeInstanceOf(Float32Array);
      expect(face.embedding).toHaveLength(1024);
      expect(Math.hypot(...face.embedding)).toBeCloseTo(1, 5);
      expect(face.landmarks).toHaveLength(68);
      const { x, y, width, height } = face.box;
      const inside = face.landmarks!.filter((p) => p.x >= x - width * 0.25 && p.x <= x + width * 1.25 && p.y >= y - height * 0.25 && p.y <= y + height * 1.25);
      expect(inside.length).toBe(68);
    }
  });

  it('gives the orientation-6 copy the same faces, in upright coordinates, with matching descriptors', () => {
    expect(curies6).toHaveLength(2);
    const [marie, pierre] = byX(curies) as [DetectedFace, DetectedFace];
    const [marie6, pierre6] = byX(curies6) as [DetectedFace, DetectedFace];
    // Measured: centres 1 px apart; without EXIF rotation they would be hundreds apart.
    expect(gap(marie.box, marie6.box)).toBeLessThan(8);
    expect(gap(pierre.box, pierre6.box)).toBeLessThan(8);
    // Measured: same person 0.001 (Marie) and 0.002 (Pierre), Marie vs Pierre 0.50.
    expect(cosineDistance(marie.embedding, marie6.embedding)).toBeLessThan(0.02);
    expect(cosineDistance(pierre.embedding, pierre6.embedding)).toBeLessThan(0.02);
    for (const [a, b] of [
      [marie, pierre6],
      [pierre, marie6],
      [marie, pierre],
    ] as const) {
      expect(cosineDistance(a.embedding, b.embedding)).toBeGreaterThan(0.4);
      expect(cosineDistance(a.embedding, b.embedding)).toBeGreaterThan(SAME_PERSON_MAX_DISTANCE);
    }
  });

  it('matches the Curies on a mirrored, shrunk and recompressed copy, and keeps them apart', async () => {
    const copy = path.join(tmp, 'mirrored-q40.jpg');
    await sharp(PORTRAIT).flop().resize(600).jpeg({ quality: 40 }).toFile(copy);
    const faces = await detector.detect(copy, UPRIGHT);
    expect(faces).toHaveLength(2);
    // Mirrored: Pierre is now on the left.
    const [pierreM, marieM] = byX(faces) as [DetectedFace, DetectedFace];
    const [marie, pierre] = byX(curies) as [DetectedFace, DetectedFace];
    expect(gap(marieM.box, { ...marie.box, x: UPRIGHT.width - marie.box.x - marie.box.width })).toBeLessThan(15);
    // Measured: Marie 0.031, Pierre 0.071 (mirroring alone: 0.02 / 0.03); Marie vs Pierre 0.50 and 0.56.
    expect(cosineDistance(marieM.embedding, marie.embedding)).toBeLessThan(SAME_PERSON_MAX_DISTANCE / 2);
    expect(cosineDistance(pierreM.embedding, pierre.embedding)).toBeLessThan(SAME_PERSON_MAX_DISTANCE / 2);
    expect(cosineDistance(marieM.embedding, pierre.embedding)).toBeGreaterThan(0.4);
    expect(cosineDistance(pierreM.embedding, marie.embedding)).toBeGreaterThan(0.4);
  });

  it('scales boxes from a smaller preview back to the upright original', async () => {
    const preview = path.join(tmp, 'preview-6.jpg');
    // What the pipeline hands over: an upright JPEG rendition, here 2/3 of the original.
    await sharp(PORTRAIT_6).rotate().resize(560).jpeg({ quality: 85 }).toFile(preview);
    const faces = byX(await detector.detect(preview, UPRIGHT));
    expect(faces).toHaveLength(2);
    const [marie, pierre] = byX(curies) as [DetectedFace, DetectedFace];
    expect(gap(faces[0]!.box, marie.box)).toBeLessThan(12);
    expect(gap(faces[1]!.box, pierre.box)).toBeLessThan(12);
    expect(faces[0]!.box.width).toBeGreaterThan(marie.box.width * 0.8);
    // Measured: 0.009 (Marie), 0.004 (Pierre).
    expect(cosineDistance(faces[0]!.embedding, marie.embedding)).toBeLessThan(SAME_PERSON_MAX_DISTANCE / 2);
    expect(cosineDistance(faces[1]!.embedding, pierre.embedding)).toBeLessThan(SAME_PERSON_MAX_DISTANCE / 2);
  });

  it('finds no faces on photos without people', async () => {
    for (const name of NO_PEOPLE) {
      const file = path.join(ASSETS, name);
      expect(await detector.detect(file, await uprightSize(file)), name).toEqual([]);
    }
  });

  it('drops faces smaller than minSize at the original scale', async () => {
    const strict = createFaceDetector({ minSize: 100 });
    try {
      // Marie's box is ~80×128 px, Pierre's ~70×150: both below 100 on their shorter side.
      expect(await strict.detect(PORTRAIT, UPRIGHT)).toEqual([]);
      // The same pixels as the preview of a 4× larger original: boxes scale up, both pass.
      const big = await strict.detect(PORTRAIT, { width: UPRIGHT.width * 4, height: UPRIGHT.height * 4 });
      expect(big).toHaveLength(2);
      expect(byX(big)[0]!.box.x).toBeCloseTo(byX(curies)[0]!.box.x * 4, 0);
    } finally {
      await strict.close();
    }
  });

  it('rejects garbage and truncated files clearly, and keeps working afterwards', async () => {
    const garbage = path.join(tmp, 'garbage.jpg');
    await writeFile(garbage, Buffer.from('this is not an image at all, just some text bytes'.repeat(20)));
    const truncated = path.join(tmp, 'truncated.jpg');
    const bytes = await readFile(PORTRAIT);
    await writeFile(truncated, bytes.subarray(0, bytes.length >> 1));

    await expect(detector.detect(garbage, UPRIGHT)).rejects.toThrow(/cannot decode .*garbage\.jpg/);
    await expect(detector.detect(truncated, UPRIGHT)).rejects.toThrow(/cannot decode .*truncated\.jpg/);
    await expect(detector.detect(path.join(tmp, 'missing.jpg'), UPRIGHT)).rejects.toThrow(/cannot decode .*missing\.jpg/);
    await expect(detector.detect(PORTRAIT, { width: 0, height: 700 })).rejects.toThrow(RangeError);

    const again = await detector.detect(PORTRAIT, UPRIGHT);
    expect(again).toHaveLength(2);
  });

  it('answers concurrent calls correctly, with at most `concurrency` workers', async () => {
    const falcon = path.join(ASSETS, NO_PEOPLE[0]!);
    const jobs = [PORTRAIT, PORTRAIT_6, falcon, PORTRAIT, PORTRAIT_6];
    const sizes = await Promise.all(jobs.map((f) => (f === falcon ? uprightSize(f) : UPRIGHT)));
    const results = await Promise.all(jobs.map((f, i) => detector.detect(f, sizes[i]!)));
    expect(detector.workerCount).toBeLessThanOrEqual(2);
    expect(results.map((r) => r.length)).toEqual([2, 2, 0, 2, 2]);
    for (const [i, r] of results.entries()) {
      if (r.length === 0) continue;
      const expected = byX(jobs[i] === PORTRAIT ? curies : curies6);
      byX(r).forEach((face, k) => {
        expect(face.box).toEqual(expected[k]!.box);
        expect(cosineDistance(face.embedding, expected[k]!.embedding)).toBeLessThan(1e-5);
      });
    }
  });

  it('keeps the calling thread free while photos are analysed', async () => {
    // Measured max event-loop delay: 14 ms through the pool, 613 ms running the same detection in-thread.
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    await Promise.all([PORTRAIT, PORTRAIT_6, PORTRAIT, PORTRAIT_6].map((f) => detector.detect(f, UPRIGHT)));
    delay.disable();
    expect(delay.max / 1e6).toBeLessThan(200);
  });

  it('cuts the same square WebP face thumbnail from the original and from its orientation-6 copy', async () => {
    const marie = byX(curies)[0]!;
    const fromUpright = await cropFaceThumbnail(PORTRAIT, marie.box, UPRIGHT);
    const fromRotated = await cropFaceThumbnail(PORTRAIT_6, marie.box, UPRIGHT);
    for (const thumb of [fromUpright, fromRotated]) {
      const meta = await sharp(thumb).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['webp', 160, 160]);
    }
    const a = await sharp(fromUpright).greyscale().raw().toBuffer();
    const b = await sharp(fromRotated).greyscale().raw().toBuffer();
    const meanDiff = a.reduce((sum, v, i) => sum + Math.abs(v - b[i]!), 0) / a.length;
    expect(meanDiff).toBeLessThan(8); // measured 2.2; unrotated pixels or the other face: 60–77

    // Near the frame's edge the square shrinks instead of padding.
    const corner = await cropFaceThumbnail(PORTRAIT, { x: 0, y: 0, width: 60, height: 60 }, UPRIGHT, { size: 96 });
    expect((await sharp(corner).metadata()).width).toBe(96);
  });

  it('rejects jobs after close()', async () => {
    const d = createFaceDetector();
    await d.close();
    await expect(d.detect(PORTRAIT, UPRIGHT)).rejects.toThrow(WorkerPoolError);
  });
});

describe('worker pool', () => {
  // A stand-in worker: echoes, crashes on "crash", never answers "hang".
  const source = `
    const { parentPort } = require('node:worker_threads');
    parentPort.on('message', ({ id, payload }) => {
      if (payload === 'crash') throw new Error('boom');
      if (payload === 'hang') return;
      parentPort.postMessage({ id, ok: true, result: payload + ' from ' + require('node:worker_threads').threadId });
    });`;
  const pool = () => new WorkerPool<string, string>({ name: 'test', size: 1, jobTimeoutMs: 1000, spawn: () => new Worker(source, { eval: true }) });

  it('fails only the crashed job and replaces the worker', async () => {
    const p = pool();
    try {
      const first = await p.run('a');
      const crashed = p.run('crash');
      const queued = p.run('b'); // waits behind the crash, then runs on a fresh worker
      await expect(crashed).rejects.toThrow(/test worker crashed: boom/);
      const after = await queued;
      expect(after.startsWith('b from ')).toBe(true);
      expect(after.split(' from ')[1]).not.toBe(first.split(' from ')[1]);
    } finally {
      await p.close();
    }
  });

  it('fails a job past the timeout and carries on', async () => {
    const p = pool();
    try {
      await expect(p.run('hang')).rejects.toThrow(/took longer than 1000 ms/);
      await expect(p.run('c')).resolves.toMatch(/^c from /);
    } finally {
      await p.close();
    }
  });

  it('lets a worker with no job for idleMs exit, and starts another for the next job', async () => {
    const p = new WorkerPool<string, string>({ name: 'test', size: 1, idleMs: 200, spawn: () => new Worker(source, { eval: true }) });
    try {
      const first = await p.run('a');
      expect(p.workerCount).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const second = await p.run('b'); // within idleMs: the same worker, its timer started again
      expect(second.split(' from ')[1]).toBe(first.split(' from ')[1]);
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(p.workerCount).toBe(0);
      const third = await p.run('c');
      expect(third.split(' from ')[1]).not.toBe(first.split(' from ')[1]);
    } finally {
      await p.close();
    }
  });

  it('close() rejects running and queued jobs', async () => {
    const p = pool();
    // Assertions attached before close() so that the rejections are handled when they happen.
    const running = expect(p.run('hang')).rejects.toThrow(WorkerPoolError);
    const queued = expect(p.run('d')).rejects.toThrow(WorkerPoolError);
    await new Promise((r) => setTimeout(r, 50));
    await p.close();
    await running;
    await queued;
  });
});

describe('SSD MobileNet v1 on onnxruntime: the same detections as face-api on tfjs', () => {
  /** Portraits, a woman at a bar, a page with 15 low-score boxes at 0.1, and photos without people. */
  const FILES = [
    'metadata/faces/portrait.jpg',
    'metadata/faces/portrait-orientation-6.jpg',
    'albums/text/craft-beer.jpg',
    'albums/text/book-beside-flowers.jpg',
    'albums/nature/notocactus_minimus.jpg',
    'albums/nature/prairie_falcon.jpg',
  ];

  it('gives the same boxes and scores, down to score 0.1', async () => {
    const { faceapi, tf } = await loadFaceModels('tfjs');
    let compared = 0;
    for (const file of FILES) {
      const { data, info } = await sharp(path.join(ASSETS, file))
        .rotate()
        .resize({ width: 1024, height: 1024, fit: 'inside', withoutEnlargement: true })
        .removeAlpha()
        .toColourspace('srgb')
        .raw()
        .toBuffer({ resolveWithObject: true });
      const input = tf.tensor3d(data, [info.height, info.width, 3], 'int32');
      const options = new faceapi.SsdMobilenetv1Options({ minConfidence: 0.1, maxResults: 100 });
      const theirs = await faceapi.nets.ssdMobilenetv1.locateFaces(input as unknown as Parameters<typeof faceapi.nets.ssdMobilenetv1.locateFaces>[0], options);
      input.dispose();
      const ours = await locateFacesOnnx({ data, width: info.width, height: info.height }, 100, 0.1);
      expect(
        ours.map((d) => d.score.toFixed(2)),
        file,
      ).toEqual(theirs.map((d) => d.score.toFixed(2)));
      ours.forEach((d, i) => {
        const t = theirs[i]!;
        expect(Math.abs(d.score - t.score)).toBeLessThan(1e-3);
        for (const k of ['x', 'y', 'width', 'height'] as const) expect(Math.abs(d.box[k] - t.box[k]), `${file} ${k}`).toBeLessThan(1);
      });
      compared += ours.length;
    }
    // Measured: 3 + 3 + 2 + 15 + 1 + 0 detections at ≥ 0.1.
    expect(compared).toBeGreaterThanOrEqual(20);
  });

  it('gives the same faces, landmarks and descriptors through detectFaces', async () => {
    for (const file of [PORTRAIT, PORTRAIT_6]) {
      const tfjs = byX(await detectFaces(file, UPRIGHT, { ...DEFAULT_FACE_SETTINGS, ssdRuntime: 'tfjs' }));
      const onnx = byX(await detectFaces(file, UPRIGHT, { ...DEFAULT_FACE_SETTINGS, ssdRuntime: 'onnx' }));
      expect(onnx).toHaveLength(2);
      expect(onnx).toHaveLength(tfjs.length);
      onnx.forEach((f, i) => {
        const t = tfjs[i]!;
        expect(Math.abs(f.score - t.score)).toBeLessThan(1e-3);
        expect(gap(f.box, t.box)).toBeLessThan(1);
        expect(Math.abs(f.box.width - t.box.width)).toBeLessThan(1);
        const theirs = t.landmarks ?? [];
        expect(f.landmarks).toHaveLength(68);
        f.landmarks?.forEach((p, j) => expect(Math.hypot(p.x - theirs[j]!.x, p.y - theirs[j]!.y)).toBeLessThan(1));
        expect(cosineDistance(f.embedding, t.embedding)).toBeLessThan(1e-3);
      });
    }
  });
});

describe('FaceRes on onnxruntime (translated from the shipped tfjs graph)', () => {
  it('gives the descriptors of FaceRes on tfjs, crop by crop, on the faces of the corpus', async () => {
    const { tf } = await loadFaceModels('onnx');
    const shipped = tfjsFaceRes(tf as unknown as Parameters<typeof tfjsFaceRes>[0], await loadFaceRes(tf as unknown as Parameters<typeof loadFaceRes>[0]));
    const onnx = await loadFaceResOnnx();
    let compared = 0;
    for (const file of [PORTRAIT, PORTRAIT_6, path.join(ASSETS, 'albums/text/book-beside-flowers.jpg')]) {
      const { data, info } = await sharp(file).rotate().removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
      const image = { data, width: info.width, height: info.height };
      // Every detected face, and crops that are not faces (an edge, a corner, a small and a large square).
      const faces = await detectFaces(file, { width: info.width, height: info.height }, DEFAULT_FACE_SETTINGS);
      const crops = [
        ...faces.map((f) => faceCrop(f.box)),
        { cx: 0, cy: 0, side: 120, angle: 0 },
        { cx: info.width / 2, cy: info.height / 2, side: 40, angle: 0 },
        { cx: info.width / 2, cy: info.height / 2, side: Math.max(info.width, info.height), angle: 0 },
      ];
      const ours = await describeFaces((input, count) => runFaceResOnnx(onnx, input, count), image, crops);
      const theirs = await describeFaces(shipped, image, crops);
      ours.forEach((d, i) => expect(cosineDistance(d, theirs[i]!), `${path.basename(file)} crop ${i}`).toBeLessThan(1e-6));
      compared += crops.length;
    }
    expect(compared).toBeGreaterThanOrEqual(12);
  });
});
