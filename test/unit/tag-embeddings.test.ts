import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { ClipModel } from '../../src/ml/types.js';
import { loadTagMatrix, vocabularyDigest } from '../../src/ml/tags/tag-embeddings.js';
import { VOCABULARY, type VocabularyEntry } from '../../src/ml/tags/vocabulary.js';
import { buildTagMatrix } from '../../src/ml/tags/zero-shot.js';

/**
 * A fake but honest CLIP: every text gets a fixed, L2-normalised vector derived from a hash of the text and
 * the model version, so different texts differ, the same text always agrees, and a new version moves
 * everything. It counts the texts it embeds, so a test can tell computing from reading the cache.
 */
class HashClip implements ClipModel {
  readonly name = 'hash-clip';
  readonly dimensions = 16;
  texts = 0;
  calls = 0;

  constructor(readonly version: string) {}

  private vector(text: string): Float32Array {
    const bytes = createHash('sha256').update(`${this.version}\0${text}`).digest();
    const v = Float32Array.from({ length: this.dimensions }, (_, i) => bytes[i]! / 127.5 - 1);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  }

  async embedImage(): Promise<Float32Array> {
    throw new Error('not used');
  }

  async embedText(text: string): Promise<Float32Array> {
    return this.vector(text);
  }

  async embedTexts(texts: readonly string[]): Promise<Float32Array[]> {
    this.calls++;
    this.texts += texts.length;
    return texts.map((t) => this.vector(t));
  }

  async close(): Promise<void> {}
}

const small: VocabularyEntry[] = VOCABULARY.slice(0, 40);

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'shoebox-tags-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const files = async () => (await fs.readdir(dir)).sort();

describe('loadTagMatrix', () => {
  it('computes once, writes a binary matrix with a JSON header, and matches buildTagMatrix', async () => {
    const clip = new HashClip('v1');
    const loaded = await loadTagMatrix(clip, dir, { vocabulary: small });
    expect(loaded.cached).toBe(false);
    expect(loaded.names).toEqual(small.map((e) => e.name));
    expect(loaded.dims).toBe(16);
    expect(loaded.data).toHaveLength(small.length * 16);
    expect(clip.texts).toBeGreaterThanOrEqual(small.length * 2);

    const names = await files();
    expect(names).toHaveLength(2);
    const header = JSON.parse(
      await fs.readFile(
        path.join(
          dir,
          names.find((n) => n.endsWith('.json'))!,
        ),
        'utf8',
      ),
    );
    expect(header).toMatchObject({ model: 'hash-clip', modelVersion: 'v1', dims: 16, count: small.length, texts: clip.texts });
    expect(header.vocabularyDigest).toBe(vocabularyDigest(small));
    const bytes = await fs.stat(
      path.join(
        dir,
        names.find((n) => n.endsWith('.f32'))!,
      ),
    );
    expect(bytes.size).toBe(small.length * 16 * 4);

    const direct = await buildTagMatrix(small, (t) => new HashClip('v1').embedTexts(t));
    expect(loaded.data).toEqual(direct.data);
  });

  it('reuses the cache for the same model version and vocabulary, without embedding anything', async () => {
    const first = await loadTagMatrix(new HashClip('v1'), dir, { vocabulary: small });
    const clip = new HashClip('v1');
    const second = await loadTagMatrix(clip, dir, { vocabulary: small });
    expect(second.cached).toBe(true);
    expect(clip.calls).toBe(0);
    expect(second.names).toEqual(first.names);
    expect(second.data).toEqual(first.data);
  });

  it('recomputes when the model version changes, and drops the old matrix', async () => {
    const before = await loadTagMatrix(new HashClip('v1'), dir, { vocabulary: small });
    const oldFiles = await files();
    const clip = new HashClip('v2');
    const after = await loadTagMatrix(clip, dir, { vocabulary: small });
    expect(after.cached).toBe(false);
    expect(clip.texts).toBeGreaterThan(0);
    expect(after.data).not.toEqual(before.data);
    const now = await files();
    expect(now).toHaveLength(2);
    expect(now.some((n) => oldFiles.includes(n))).toBe(false);
    expect((await loadTagMatrix(new HashClip('v2'), dir, { vocabulary: small })).cached).toBe(true);
  });

  it('recomputes when the vocabulary changes (a name or only a prompt)', async () => {
    await loadTagMatrix(new HashClip('v1'), dir, { vocabulary: small });
    const renamed = [...small.slice(0, -1), { name: 'something new', kind: 'object' as const }];
    expect((await loadTagMatrix(new HashClip('v1'), dir, { vocabulary: renamed })).cached).toBe(false);
    const reworded = renamed.map((e, i) => (i === 0 ? { ...e, prompt: 'a different phrase' } : e));
    expect(vocabularyDigest(reworded)).not.toBe(vocabularyDigest(renamed));
    expect((await loadTagMatrix(new HashClip('v1'), dir, { vocabulary: reworded })).cached).toBe(false);
  });

  it('recomputes over a damaged cache and repairs it', async () => {
    const good = await loadTagMatrix(new HashClip('v1'), dir, { vocabulary: small });
    const data = (await files()).find((n) => n.endsWith('.f32'))!;
    await fs.truncate(path.join(dir, data), 100);
    const repaired = await loadTagMatrix(new HashClip('v1'), dir, { vocabulary: small });
    expect(repaired.cached).toBe(false);
    expect(repaired.data).toEqual(good.data);
    const header = (await files()).find((n) => n.endsWith('.json'))!;
    await fs.writeFile(path.join(dir, header), '{ not json');
    expect((await loadTagMatrix(new HashClip('v1'), dir, { vocabulary: small })).cached).toBe(false);
    expect((await loadTagMatrix(new HashClip('v1'), dir, { vocabulary: small })).cached).toBe(true);
  });

  it('shares one computation between concurrent callers and leaves no temp files', async () => {
    const clip = new HashClip('v1');
    const [a, b] = await Promise.all([loadTagMatrix(clip, dir, { vocabulary: small }), loadTagMatrix(clip, dir, { vocabulary: small })]);
    expect(a).toBe(b);
    const expected = (await buildTagMatrix(small, async (t) => t.map(() => new Float32Array(1)))).names.length;
    expect(a.names).toHaveLength(expected);
    expect(clip.calls).toBe(1);
    expect((await files()).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('creates the cache folder and handles the whole vocabulary', async () => {
    const clip = new HashClip('v1');
    const nested = path.join(dir, 'models', 'cache');
    const full = await loadTagMatrix(clip, nested, { batchSize: 512 });
    expect(full.names).toHaveLength(VOCABULARY.length);
    // ~2 prompts per tag: at ~10 ms a prompt (CLIP ViT-B/32 on CPU) that is about a minute, once per model.
    expect(clip.texts).toBeGreaterThan(VOCABULARY.length * 2 - 1);
    expect(clip.texts).toBeLessThan(VOCABULARY.length * 2.5);
    const again = await loadTagMatrix(new HashClip('v1'), nested);
    expect(again.cached).toBe(true);
    expect(again.millis).toBeLessThan(full.millis + 1000);
  });
});
