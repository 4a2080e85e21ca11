import { describe, expect, it } from 'vitest';

import { textLikelyFromClip } from '../../src/ml/tags/text-gate.js';
import type { VocabularyEntry } from '../../src/ml/tags/vocabulary.js';
import { buildTagMatrix, tagCosines, zeroShotTags, type TagMatrix } from '../../src/ml/tags/zero-shot.js';
import { mulberry32 } from '../helpers/vectors.js';

function normalise(v: Float32Array): Float32Array {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

function randomUnit(next: () => number, dims: number): Float32Array {
  return normalise(Float32Array.from({ length: dims }, () => next() * 2 - 1));
}

function add(a: Float32Array, b: Float32Array, scaleB = 1): Float32Array {
  return a.map((x, i) => x + scaleB * b[i]!);
}

/** Gram–Schmidt in place. */
function orthonormalise(vectors: Float32Array[]): void {
  vectors.forEach((v, i) => {
    for (const u of vectors.slice(0, i)) {
      const d = v.reduce((s, x, k) => s + x * u[k]!, 0);
      v.forEach((x, k) => (v[k] = x - d * u[k]!));
    }
    v.set(normalise(v));
  });
}

function matrixOf(rows: Map<string, Float32Array>): TagMatrix {
  const names = [...rows.keys()];
  const dims = rows.values().next().value!.length;
  const data = new Float32Array(names.length * dims);
  names.forEach((n, i) => data.set(rows.get(n)!, i * dims));
  return { names, dims, data };
}

/** 300 random tags in 64 dimensions: nearly orthogonal, like unrelated CLIP labels. */
function syntheticVocabulary(seed = 1, count = 300, dims = 64) {
  const next = mulberry32(seed);
  const rows = new Map<string, Float32Array>();
  for (let i = 0; i < count; i++) rows.set(`tag-${String(i).padStart(3, '0')}`, randomUnit(next, dims));
  return { rows, matrix: matrixOf(rows), next, dims };
}

describe('zeroShotTags', () => {
  it('puts the tag nearest the image first, with a higher confidence than any other', () => {
    const { rows, matrix, next, dims } = syntheticVocabulary();
    const image = normalise(add(rows.get('tag-042')!, randomUnit(next, dims), 0.4));
    const all = zeroShotTags(image, matrix, { minConfidence: 0, topK: 300 });
    expect(all).toHaveLength(300);
    expect(all[0]!.name).toBe('tag-042');
    expect(all[0]!.confidence).toBeGreaterThan(0.9);
    for (const other of all.slice(1)) expect(other.confidence).toBeLessThan(all[0]!.confidence);
    // With the default threshold only the clear match survives.
    expect(zeroShotTags(image, matrix).map((t) => t.name)).toEqual(['tag-042']);
  });

  it('is sorted by confidence and respects minConfidence and topK', () => {
    const { rows } = syntheticVocabulary(2);
    const names = ['tag-001', 'tag-002', 'tag-003', 'tag-004', 'tag-005'];
    // Five mutually orthogonal tags and a photo that matches them equally (a beach: sea, sand, sky, …).
    orthonormalise(names.map((n) => rows.get(n)!));
    const matrix = matrixOf(rows);
    const image = normalise(names.map((n) => rows.get(n)!).reduce((a, b) => add(a, b)));
    const tags = zeroShotTags(image, matrix);
    expect(tags.map((t) => t.name).sort()).toEqual(names);
    for (const t of tags) expect(t.confidence).toBeGreaterThan(0.5);

    const two = zeroShotTags(image, matrix, { topK: 2 });
    expect(two).toHaveLength(2);
    expect(two).toEqual(tags.slice(0, 2));

    const loose = zeroShotTags(image, matrix, { minConfidence: 0.001, topK: 50 });
    for (let i = 1; i < loose.length; i++) expect(loose[i]!.confidence).toBeLessThanOrEqual(loose[i - 1]!.confidence);
    for (const t of loose) expect(t.confidence).toBeGreaterThanOrEqual(0.001);
    expect(zeroShotTags(image, matrix, { minConfidence: 0.999_999 })).toEqual([]);
    expect(zeroShotTags(image, matrix, { topK: 0 })).toEqual([]);
  });

  it('gives nothing for an image that favours no tag', () => {
    const { matrix, dims } = syntheticVocabulary(3);
    expect(zeroShotTags(new Float32Array(dims), matrix)).toEqual([]);
    // Equidistant from everything: uniform softmax, 1/300 ≪ the 2% reference.
    const flat = new Float32Array(matrix.names.length * matrix.dims);
    const uniform: TagMatrix = { ...matrix, data: flat };
    expect(zeroShotTags(normalise(new Float32Array(dims).fill(1)), uniform)).toEqual([]);
  });

  it('breaks ties by vocabulary order, deterministically', () => {
    const next = mulberry32(4);
    const shared = randomUnit(next, 32);
    const rows = new Map<string, Float32Array>([
      ['zebra', shared],
      ['other', randomUnit(next, 32)],
      ['apple', shared],
      ['mango', shared],
    ]);
    const image = normalise(add(shared, randomUnit(next, 32), 0.1));
    const forward = zeroShotTags(image, matrixOf(rows));
    const backward = zeroShotTags(image, matrixOf(new Map([...rows].reverse())));
    expect(forward.map((t) => t.name)).toEqual(['zebra', 'apple', 'mango']);
    expect(backward.map((t) => t.name)).toEqual(['mango', 'apple', 'zebra']);
    expect(backward.map((t) => t.confidence)).toEqual(forward.map((t) => t.confidence));
    expect(zeroShotTags(image, matrixOf(rows))).toEqual(forward);
    // Three-way tie: each holds a third of the mass.
    expect(forward[0]!.confidence).toBeCloseTo(1 / 3 / (1 / 3 + 0.02), 3);
  });

  it('a lower logit scale spreads confidence; the image need not be normalised', () => {
    const { rows, matrix, next, dims } = syntheticVocabulary(5);
    const image = normalise(add(rows.get('tag-010')!, randomUnit(next, dims), 0.6));
    const sharp = zeroShotTags(image, matrix, { minConfidence: 0, topK: 2 });
    const soft = zeroShotTags(image, matrix, { minConfidence: 0, topK: 2, logitScale: 10 });
    expect(soft[0]!.name).toBe('tag-010');
    expect(soft[0]!.confidence).toBeLessThan(sharp[0]!.confidence);
    expect(
      zeroShotTags(
        image.map((x) => x * 7),
        matrix,
      ),
    ).toEqual(zeroShotTags(image, matrix));
  });

  it('rejects an embedding of the wrong size', () => {
    const { matrix } = syntheticVocabulary(6);
    expect(() => zeroShotTags(new Float32Array(10), matrix)).toThrow(/dimensions/);
  });

  it('scores a 3000 × 512 vocabulary in a few milliseconds', () => {
    const { rows, matrix, next } = syntheticVocabulary(7, 3000, 512);
    const image = normalise(add(rows.get('tag-123')!, randomUnit(next, 512), 0.5));
    zeroShotTags(image, matrix); // warm-up
    const started = performance.now();
    const runs = 20;
    let tags = zeroShotTags(image, matrix);
    for (let i = 1; i < runs; i++) tags = zeroShotTags(image, matrix);
    const perPhoto = (performance.now() - started) / runs;
    expect(tags[0]!.name).toBe('tag-123');
    expect(perPhoto).toBeLessThan(100);
  });
});

describe('buildTagMatrix', () => {
  const entries: VocabularyEntry[] = [
    { name: 'red', kind: 'colour' },
    { name: 'sofa', kind: 'object', aliases: ['couch'] },
    { name: 'mystery', kind: 'object' },
  ];
  // Each prompt maps to a known vector; prompts about the mystery map to nothing (zero), like a fixture
  // model that only knows colour words.
  const vectors: Record<string, number[]> = {
    'a red photo.': [2, 0, 0],
    'a photo that is mostly red.': [0, 3, 0],
    'a photo of a sofa.': [0, 0, 1],
    'a close-up photo of a sofa.': [0, 0, 1],
    'a photo of a couch.': [0, 1, 0],
  };
  const embed = async (texts: readonly string[]) => texts.map((t) => Float32Array.from(vectors[t] ?? [0, 0, 0]));

  it('averages normalised prompt embeddings per tag and renormalises', async () => {
    const progress: number[] = [];
    const calls: number[] = [];
    const matrix = await buildTagMatrix(entries, async (texts) => (calls.push(texts.length), embed(texts)), {
      batchSize: 2,
      onProgress: (done) => progress.push(done),
    });
    expect(matrix.names).toEqual(['red', 'sofa', 'mystery']);
    expect(matrix.dims).toBe(3);
    const row = (i: number) => [...matrix.data.subarray(i * 3, i * 3 + 3)];
    // red: (1,0,0) and (0,1,0) → mean direction (1,1,0)/√2, whatever the raw lengths were.
    expect(row(0)[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(row(0)[1]).toBeCloseTo(Math.SQRT1_2, 6);
    // sofa: two templates (0,0,1) and the alias (0,1,0) → (0,1,2)/√5.
    expect(row(1)[1]).toBeCloseTo(1 / Math.sqrt(5), 6);
    expect(row(1)[2]).toBeCloseTo(2 / Math.sqrt(5), 6);
    expect(row(2)).toEqual([0, 0, 0]);
    expect(calls.every((n) => n <= 2)).toBe(true);
    expect(progress.at(-1)).toBe(calls.reduce((a, b) => a + b));
    expect(tagCosines(Float32Array.from([1, 0, 0]), matrix)[2]).toBe(0);
  });

  it('refuses embeddings of mixed sizes or a wrong count', async () => {
    let first = true;
    await expect(
      buildTagMatrix(entries, async (texts) =>
        texts.map(() => {
          const v = new Float32Array(first ? 3 : 4).fill(1);
          first = false;
          return v;
        }),
      ),
    ).rejects.toThrow(/dimensions/);
    await expect(buildTagMatrix(entries, async () => [])).rejects.toThrow(/returned 0 vectors/);
  });
});

describe('textLikelyFromClip', () => {
  const next = mulberry32(8);
  const text = Array.from({ length: 5 }, () => randomUnit(next, 64));
  const noText = Array.from({ length: 5 }, () => randomUnit(next, 64));

  it('says text is likely for an image near the text prompts, and unlikely near the others', () => {
    const page = normalise(add(text[2]!, randomUnit(next, 64), 0.5));
    const view = normalise(add(noText[0]!, randomUnit(next, 64), 0.5));
    const a = textLikelyFromClip(page, text, noText);
    const b = textLikelyFromClip(view, text, noText);
    expect(a.likely).toBe(true);
    expect(a.score).toBeGreaterThan(0.9);
    expect(b.likely).toBe(false);
    expect(b.score).toBeLessThan(0.1);
  });

  it('treats an undecided photo as text-likely (OCR rather than miss), and honours the threshold', () => {
    const zero = new Float32Array(64);
    expect(textLikelyFromClip(zero, text, noText)).toEqual({ score: 0.5, likely: true });
    // Float noise around an exact tie still counts as a tie.
    const [a, b] = [Float32Array.from([1, 0]), Float32Array.from([0.9999999, 0])];
    expect(textLikelyFromClip(Float32Array.from([0.6, 0.8]), [b], [a]).likely).toBe(true);
    expect(textLikelyFromClip(zero, text, noText, { threshold: 0.6 }).likely).toBe(false);
  });

  it('rejects empty prompt sets and mismatched sizes', () => {
    expect(() => textLikelyFromClip(new Float32Array(64), [], noText)).toThrow();
    expect(() => textLikelyFromClip(new Float32Array(32), text, noText)).toThrow(/dimensions/);
  });
});
