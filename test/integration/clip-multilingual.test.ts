// The multilingual CLIP in Immich's split layout (visual/ + textual/ ONNX graphs, XLM-R tokenizer) through
// `loadClip`, with the generated fixture: its image embedding follows the picture's colours and its text
// embedding follows colour words in English, French, German, Spanish and Italian.
import { cp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { AutoTokenizer, env } from '@huggingface/transformers';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ClipLoadError, detectClipLayout, loadClip } from '../../src/ml/clip.js';
import { filesFor, getHubModelSpec, modelDir } from '../../src/ml/model-catalogue.js';
import { installedVersion, installFromFolder } from '../../src/ml/registry.js';
import type { ClipModel } from '../../src/ml/types.js';
import { TEXT_WEIGHTS_FILE } from '../fixtures/models/generate-clip-multilingual.js';
import { ensureFixtureModels } from '../fixtures/models/index.js';
import { expectCudaLoadsOrExplains, rank } from '../helpers/clip.js';
import { colourPhotos, rawPicture, type Rgb } from '../helpers/images.js';
import { makeTempDir, withTempDir } from '../helpers/temp.js';
import { cosine, norm } from '../helpers/vectors.js';

let clipDir: string;
let multilingualDir: string;
let work: string;
let clip: ClipModel;
const images: Record<string, string> = {};

beforeAll(async () => {
  ({ clipDir, multilingualDir } = await ensureFixtureModels());
  work = await makeTempDir('shoebox-mclip-');
  Object.assign(images, await colourPhotos(work, 11));
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
      const order = await rank(clip, query, photos);
      expect(order[0], query).toBe('red');
      expect(order.indexOf('red'), query).toBeLessThan(order.indexOf('green'));
    }
    for (const query of ['vert', 'grün', 'verde', 'un champ vert']) {
      const order = await rank(clip, query, photos);
      expect(order[0], query).toBe('green');
      expect(order.indexOf('green'), query).toBeLessThan(order.indexOf('red'));
    }
    for (const query of ['bleu', 'blau', 'azul']) expect((await rank(clip, query, photos))[0], query).toBe('blue');
    expect((await rank(clip, 'jaune', photos))[0]).toBe('yellow');
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
    for (const [name, word] of [
      ['red', 'rouge'],
      ['green', 'vert'],
      ['blue', 'bleu'],
      ['yellow', 'jaune'],
    ] as const) {
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
    const red: Rgb = [210, 25, 25];
    const green: Rgb = [40, 150, 40];
    const wide = path.join(work, 'wide.png');
    await rawPicture(900, 300, (x) => (x >= 300 && x < 600 ? red : green))
      .png()
      .toFile(wide);
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
    await withTempDir('shoebox-mclip-data-', async (data) => {
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
    });
  });

  it('refuses to install an external-data file that is a Git LFS pointer', async () => {
    await withTempDir('shoebox-mclip-lfs-', (source) =>
      withTempDir('shoebox-mclip-data-', async (data) => {
        await cp(multilingualDir, source, { recursive: true });
        const pointer = 'version https://git-lfs.github.com/spec/v1\noid sha256:0000\nsize 2240000000\n';
        await writeFile(path.join(source, 'textual', TEXT_WEIGHTS_FILE), pointer);
        await expect(installFromFolder(data, 'clip-multilingual', source)).rejects.toThrow(new RegExp(`textual/${TEXT_WEIGHTS_FILE} is a Git LFS pointer`));
      }),
    );
  });

  it('says the external-data file is missing when only textual/model.onnx was copied', async () => {
    await withTempDir('shoebox-mclip-noweights-', async (dir) => {
      await cp(multilingualDir, dir, { recursive: true });
      await rm(path.join(dir, 'textual', TEXT_WEIGHTS_FILE));
      const load = loadClip(dir, { name: 'clip-multilingual' });
      await expect(load).rejects.toBeInstanceOf(ClipLoadError);
      await expect(load).rejects.toThrow(/textual\/model\.onnx .*external-data files next to textual\/model\.onnx/s);
    });
  });

  it('names the missing files of an incomplete folder', async () => {
    await withTempDir('shoebox-mclip-partial-', async (dir) => {
      await cp(multilingualDir, dir, { recursive: true });
      await rm(path.join(dir, 'textual', 'tokenizer.json'));
      await rm(path.join(dir, 'visual', 'preprocess_cfg.json'));
      await expect(loadClip(dir, { name: 'clip-multilingual' })).rejects.toThrow(
        /not a complete Immich-layout CLIP.*missing visual\/preprocess_cfg\.json, textual\/tokenizer\.json/,
      );
      // Forcing the layout on a transformers.js folder says what that layout needs.
      const forced = loadClip(clipDir, { name: 'clip-multilingual', layout: 'immich' });
      await expect(forced).rejects.toThrow(/missing visual\/model\.onnx/);
    });
  });

  it('explains how to get CUDA when it is asked for and missing', async () => {
    await expectCudaLoadsOrExplains(multilingualDir, 'clip-multilingual');
  });
});
