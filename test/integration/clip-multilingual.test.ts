// The multilingual CLIP in Immich's split layout (visual/ + textual/ ONNX graphs, XLM-R tokenizer) through
// `loadClip`, with the generated fixture: its image embedding follows the picture's colours and its text
// embedding follows colour words in English, French, German, Spanish and Italian.
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { AutoTokenizer, env } from '@huggingface/transformers';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ClipLoadError, detectClipLayout, loadClip } from '../../src/ml/clip.js';
import { filesFor, getHubModelSpec, installedVersion, installFromFolder, modelDir } from '../../src/ml/registry.js';
import type { ClipModel } from '../../src/ml/types.js';
import { TEXT_WEIGHTS_FILE } from '../fixtures/models/generate-clip-multilingual.js';
import { ensureFixtureModels } from '../fixtures/models/index.js';

let clipDir: string;
let multilingualDir: string;
let work: string;
let clip: ClipModel;
const images: Record<string, string> = {};

const cosine = (a: Float32Array, b: Float32Array): number => a.reduce((sum, v, i) => sum + v * b[i]!, 0);
const norm = (a: Float32Array): number => Math.sqrt(cosine(a, a));

/** Names of `candidates`, best match for `query` first. */
async function rank(query: string, candidates: Record<string, string>): Promise<string[]> {
  const text = await clip.embedText(query);
  const scored = await Promise.all(
    Object.entries(candidates).map(async ([name, file]) => ({ name, score: cosine(text, await clip.embedImage(file)) })),
  );
  return scored.sort((a, b) => b.score - a.score).map((s) => s.name);
}

/** A photo-like picture: mostly one colour, with a band of another, some noise, not square. */
async function mostly(file: string, rgb: [number, number, number], band: [number, number, number]): Promise<string> {
  const width = 480;
  const height = 320;
  const pixels = Buffer.alloc(width * height * 3);
  let seed = 11;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const noise = (seed % 41) - 20;
      const base = y > height * 0.75 ? band : rgb;
      for (let c = 0; c < 3; c++) pixels[(y * width + x) * 3 + c] = Math.max(0, Math.min(255, base[c]! + noise));
    }
  }
  await sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 85 }).toFile(file);
  return file;
}

async function temp(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

beforeAll(async () => {
  ({ clipDir, multilingualDir } = await ensureFixtureModels());
  work = await temp('shoebox-mclip-');
  const grey: [number, number, number] = [120, 120, 120];
  images.red = await mostly(path.join(work, 'red.jpg'), [200, 30, 35], grey);
  images.green = await mostly(path.join(work, 'green.jpg'), [50, 140, 45], [90, 140, 220]);
  images.blue = await mostly(path.join(work, 'blue.jpg'), [35, 80, 200], grey);
  images.yellow = await mostly(path.join(work, 'yellow.jpg'), [235, 215, 40], grey);
  clip = await loadClip(multilingualDir, { name: 'clip-multilingual', device: 'cpu' });
});

afterAll(async () => {
  await clip?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('loadClip with the split (Immich) layout', () => {
  it('finds the layout from the files and matches the catalogue entry', () => {
    expect(detectClipLayout(multilingualDir)).toBe('immich');
    expect(detectClipLayout(clipDir)).toBe('hf');
    expect(getHubModelSpec('clip-multilingual')).toMatchObject({
      layout: 'immich',
      repo: 'immich-app/XLM-Roberta-Large-Vit-B-32',
    });
  });

  it('reports its name, a version and the output size', () => {
    expect(clip.name).toBe('clip-multilingual');
    expect(clip.dimensions).toBe(512);
    // No manifest: the version comes from the files under visual/ and textual/.
    expect(clip.version).toMatch(/^clip-multilingual@local-[0-9a-f]{12}$/);
  });

  it('returns L2-normalised 512-d vectors for images and texts', async () => {
    for (const file of Object.values(images)) {
      const v = await clip.embedImage(file);
      expect(v).toBeInstanceOf(Float32Array);
      expect(v.length).toBe(512);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
    // Longer than the graph's fixed 77 tokens, unknown scripts, blank: all run.
    for (const text of ['rouge', 'eine Katze auf dem Sofa', '', '   ', 'x'.repeat(2000), '日本語のテキスト 🎉']) {
      const v = await clip.embedText(text);
      expect(v.length).toBe(512);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
  });

  it('ranks the red photo above the green one for "rouge" and "rot", and the other way for "vert" and "grün"', async () => {
    const photos = { red: images.red!, green: images.green!, blue: images.blue!, yellow: images.yellow! };
    for (const query of ['rouge', 'rot', 'rojo', 'une voiture rouge', 'ein roter Wagen']) {
      const order = await rank(query, photos);
      expect(order[0], query).toBe('red');
      expect(order.indexOf('red'), query).toBeLessThan(order.indexOf('green'));
    }
    for (const query of ['vert', 'grün', 'verde', 'un champ vert']) {
      const order = await rank(query, photos);
      expect(order[0], query).toBe('green');
      expect(order.indexOf('green'), query).toBeLessThan(order.indexOf('red'));
    }
    for (const query of ['bleu', 'blau', 'azul']) expect((await rank(query, photos))[0], query).toBe('blue');
    expect((await rank('jaune', photos))[0]).toBe('yellow');
  });

  it('puts a colour named in different languages in one place, by a clear margin from other colours', async () => {
    const [red, rouge, rot, rojo, vert] = await clip.embedTexts(['red', 'rouge', 'rot', 'rojo', 'vert']);
    for (const v of [rouge!, rot!, rojo!]) expect(cosine(red!, v)).toBeGreaterThan(0.99);
    expect(cosine(rouge!, vert!)).toBeLessThan(0.1);
    const image = await clip.embedImage(images.red!);
    expect(cosine(rouge!, image) - cosine(vert!, image)).toBeGreaterThan(0.5);
  });

  it('picks the French colour word for each photo (zero-shot)', async () => {
    const words = ['rouge', 'vert', 'bleu', 'jaune', 'noir', 'blanc'];
    const texts = await clip.embedTexts(words);
    for (const [name, word] of [['red', 'rouge'], ['green', 'vert'], ['blue', 'bleu'], ['yellow', 'jaune']] as const) {
      const image = await clip.embedImage(images[name]!);
      const scores = texts.map((t) => cosine(t, image));
      expect(words[scores.indexOf(Math.max(...scores))], name).toBe(word);
    }
  });

  it('pads to 77 tokens with a zero attention mask (the fixture pads with a loud "black")', async () => {
    const noir = await clip.embedText('noir');
    expect(cosine(await clip.embedText('rouge'), noir)).toBeLessThan(0.05);
    // A query cut at 77 tokens still carries its words.
    const long = await clip.embedText(`rouge ${'et '.repeat(150)}`);
    expect(cosine(long, await clip.embedImage(images.red!))).toBeGreaterThan(cosine(long, await clip.embedImage(images.green!)));
  });

  it('crops a wide photo to its centre, as open_clip does for resize_mode "shortest"', async () => {
    // Green sides, red middle third: squashing the whole picture would make it two-thirds green.
    const width = 900;
    const height = 300;
    const pixels = Buffer.alloc(width * height * 3);
    for (let i = 0; i < width * height; i++) {
      const x = i % width;
      const [r, g, b] = x >= 300 && x < 600 ? [210, 25, 25] : [40, 150, 40];
      pixels.set([r, g, b], i * 3);
    }
    const wide = path.join(work, 'wide.png');
    await sharp(pixels, { raw: { width, height, channels: 3 } }).png().toFile(wide);
    const image = await clip.embedImage(wide);
    expect(cosine(await clip.embedText('rouge'), image)).toBeGreaterThan(0.9);
    expect(cosine(await clip.embedText('vert'), image)).toBeLessThan(0.1);
  });

  it('embeds images with an EXIF orientation upright, and the same as the upright file', async () => {
    const upright = await clip.embedImage(images.red!);
    const rotated = path.join(work, 'red-rotated.jpg');
    await sharp(images.red!).rotate(-90).withMetadata({ orientation: 6 }).jpeg({ quality: 95 }).toFile(rotated);
    expect(cosine(upright, await clip.embedImage(rotated))).toBeGreaterThan(0.99);
  });

  it('answers a repeated query from its cache, with an unchanged vector', async () => {
    const first = await clip.embedText('une voiture bleue');
    first.fill(0); // the caller's copy: must not reach the cache
    const again = await clip.embedText('une voiture bleue');
    expect(norm(again)).toBeCloseTo(1, 5);
    expect(Array.from(again)).toEqual(Array.from(await clip.embedText('une voiture bleue')));
  });

  it('gives the same vectors in embedTexts as one at a time (the graph takes one text per run)', async () => {
    const colours = ['rouge', 'grün', 'azul', 'giallo'];
    const texts = Array.from({ length: 70 }, (_, i) => (i % 2 === 0 ? `${colours[i % 4]} ${i}` : `texte ${i}`));
    const batch = await clip.embedTexts(texts);
    expect(batch).toHaveLength(texts.length);
    for (const i of [0, 1, 63, 64, 69]) {
      const single = await clip.embedText(texts[i]!);
      batch[i]!.forEach((v, d) => expect(v).toBeCloseTo(single[d]!, 5));
    }
    expect(await clip.embedTexts([])).toEqual([]);
  });
});

describe('fixture tokenizer', () => {
  it('loads through transformers.js with XLM-RoBERTa special tokens and NFKC normalisation', async () => {
    env.allowRemoteModels = false;
    const tokenizer = await AutoTokenizer.from_pretrained(path.join(multilingualDir, 'textual'), { local_files_only: true });
    expect(tokenizer.pad_token_id).toBe(1);
    const ids = tokenizer.encode('une voiture rouge');
    expect(ids).toHaveLength(5);
    expect([ids[0], ids.at(-1)]).toEqual([0, 2]); // <s> … </s>
    expect(tokenizer.tokenize('une voiture rouge')).toEqual(['\u2581une', '\u2581voiture', '\u2581rouge']);
    // "grün" typed with a combining diaeresis is the same word.
    expect(tokenizer.encode('gru\u0308n')).toEqual(tokenizer.encode('grün'));
    expect(tokenizer.encode('')).toEqual([0, 2]);
  });
});

describe('loadClip with installed and damaged split models', () => {
  it('installs from a folder with the catalogue file list and versions it by the manifest', async () => {
    const data = await temp('shoebox-mclip-data-');
    try {
      const manifest = await installFromFolder(data, 'clip-multilingual', multilingualDir);
      expect(manifest.files.map((f) => f.path).sort()).toEqual([...filesFor(getHubModelSpec('clip-multilingual'))].sort());
      expect(manifest.files.map((f) => f.path)).toContain(`textual/${TEXT_WEIGHTS_FILE}`);
      const installed = await loadClip(modelDir(data, 'clip-multilingual'), { name: 'clip-multilingual' });
      try {
        expect(installed.version).toBe(await installedVersion(data, 'clip-multilingual'));
        expect(installed.version).toMatch(/^clip-multilingual@[0-9a-f]{16}$/);
        expect(cosine(await installed.embedText('rot'), await installed.embedImage(images.red!))).toBeGreaterThan(0.8);
      } finally {
        await installed.close();
      }
    } finally {
      await rm(data, { recursive: true, force: true });
    }
  });

  it('refuses to install an external-data file that is a Git LFS pointer', async () => {
    const [source, data] = [await temp('shoebox-mclip-lfs-'), await temp('shoebox-mclip-data-')];
    try {
      await cp(multilingualDir, source, { recursive: true });
      const pointer = 'version https://git-lfs.github.com/spec/v1\noid sha256:0000\nsize 2240000000\n';
      await writeFile(path.join(source, 'textual', TEXT_WEIGHTS_FILE), pointer);
      await expect(installFromFolder(data, 'clip-multilingual', source)).rejects.toThrow(
        new RegExp(`textual/${TEXT_WEIGHTS_FILE} is a Git LFS pointer`),
      );
    } finally {
      await Promise.all([source, data].map((d) => rm(d, { recursive: true, force: true })));
    }
  });

  it('says the external-data file is missing when only textual/model.onnx was copied', async () => {
    const dir = await temp('shoebox-mclip-noweights-');
    try {
      await cp(multilingualDir, dir, { recursive: true });
      await rm(path.join(dir, 'textual', TEXT_WEIGHTS_FILE));
      const load = loadClip(dir, { name: 'clip-multilingual' });
      await expect(load).rejects.toBeInstanceOf(ClipLoadError);
      await expect(load).rejects.toThrow(/textual\/model\.onnx .*external-data files next to textual\/model\.onnx/s);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names the missing files of an incomplete folder', async () => {
    const dir = await temp('shoebox-mclip-partial-');
    try {
      await cp(multilingualDir, dir, { recursive: true });
      await rm(path.join(dir, 'textual', 'tokenizer.json'));
      await rm(path.join(dir, 'visual', 'preprocess_cfg.json'));
      await expect(loadClip(dir, { name: 'clip-multilingual' })).rejects.toThrow(
        /not a complete Immich-layout CLIP.*missing visual\/preprocess_cfg\.json, textual\/tokenizer\.json/,
      );
      // Forcing the layout on a transformers.js folder says what that layout needs.
      const forced = loadClip(clipDir, { name: 'clip-multilingual', layout: 'immich' });
      await expect(forced).rejects.toThrow(/missing visual\/model\.onnx/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('explains how to get CUDA when it is asked for and missing', async () => {
    let model: ClipModel | undefined;
    try {
      model = await loadClip(multilingualDir, { name: 'clip-multilingual', device: 'cuda' });
    } catch (error) {
      expect(error).toBeInstanceOf(ClipLoadError);
      expect((error as Error).message).toMatch(/CUDA.*ONNXRUNTIME_NODE_INSTALL_CUDA=v12.*SHOEBOX_ML_DEVICE=cuda/s);
      return;
    }
    // A machine with working CUDA libraries: the model must work there too.
    try {
      expect(model.dimensions).toBe(512);
    } finally {
      await model.close();
    }
  });
});
