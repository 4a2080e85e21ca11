import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import { filesFor, getHubModelSpec, modelDir, ModelInstallError, MODELS, modelsDir, UnknownModelError } from '../../src/ml/model-catalogue.js';
import { MANIFEST_FILE, manifestDigest, modelVersionAt } from '../../src/ml/model-manifest.js';
import { installedVersion, installFromFolder, isInstalled, listModels, removeModel } from '../../src/ml/registry.js';
import { ensureFixtureModels } from '../fixtures/models/index.js';

let clipDir: string;
const temps: string[] = [];

beforeAll(async () => {
  ({ clipDir } = await ensureFixtureModels());
});

afterEach(async () => {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function temp(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** A copy of the fixture model to damage. */
async function fixtureCopy(): Promise<string> {
  const dir = path.join(await temp('shoebox-src-'), 'clip');
  await cp(clipDir, dir, { recursive: true });
  return dir;
}

const sha256 = async (file: string): Promise<string> =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

describe('catalogue', () => {
  it('knows the CLIP models and the bundled ones', () => {
    expect(MODELS.map((m) => m.name)).toEqual([
      'clip-vit-b32',
      'clip-vit-b32-laion2b',
      'clip-vit-b16',
      'clip-multilingual',
      'faces',
      'ocr-ppocr-v4',
      'ocr-ppocr-v5',
      'ocr-ppocr-v5-latin',
      'ocr-eng',
    ]);
    expect(getHubModelSpec('clip-vit-b32')).toMatchObject({ repo: 'Xenova/clip-vit-base-patch32', revision: 'main', kind: 'clip' });
    expect(filesFor(getHubModelSpec('clip-vit-b32'))).toEqual([
      'config.json',
      'preprocessor_config.json',
      'tokenizer.json',
      'tokenizer_config.json',
      'special_tokens_map.json',
      'onnx/vision_model_quantized.onnx',
      'onnx/text_model_quantized.onnx',
    ]);
    expect(filesFor(getHubModelSpec('clip-vit-b16'), 'fp32')).toContain('onnx/vision_model.onnx');
    expect(() => filesFor(getHubModelSpec('clip-multilingual'), 'q8')).toThrow(/no q8 weights/);
  });

  it('keeps model folders inside <data>/models', () => {
    expect(modelsDir('/d')).toBe(path.join('/d', 'models'));
    expect(modelDir('/d', 'clip-vit-b32')).toBe(path.join('/d', 'models', 'clip-vit-b32'));
    expect(() => modelDir('/d', '../etc')).toThrow(UnknownModelError);
    expect(() => modelDir('/d', 'nope')).toThrow(/unknown model "nope"; known models: clip-vit-b32, clip-vit-b32-laion2b, clip-vit-b16/);
  });
});

describe('listModels', () => {
  it('shows bundled models installed and hub models not yet', async () => {
    const data = await temp('shoebox-data-');
    const models = await listModels(data);
    const byName = new Map(models.map((m) => [m.name, m]));

    for (const name of ['faces', 'ocr-ppocr-v4', 'ocr-eng']) {
      const m = byName.get(name)!;
      expect(m).toMatchObject({ installed: true, bundled: true });
      expect(existsSync(m.path)).toBe(true);
      expect(m.sizeBytes).toBeGreaterThan(1_000_000);
      expect(m.version).toMatch(/^@(vladmandic\/face-api|gutenye\/ocr-models|tesseract\.js-data\/eng)@\d+\.\d+\.\d+$/);
    }
    expect(byName.get('ocr-ppocr-v4')!.sizeBytes).toBeGreaterThan(16_000_000); // detector, recogniser, classifier
    expect(byName.get('faces')!.enables).toContain('faces');
    expect(byName.get('ocr-eng')!.enables).toEqual(['ocr']);

    const clip = byName.get('clip-vit-b32')!;
    expect(clip).toMatchObject({
      kind: 'clip',
      installed: false,
      bundled: false,
      version: null,
      path: path.join(data, 'models', 'clip-vit-b32'),
      repo: 'Xenova/clip-vit-base-patch32',
    });
    expect(clip.enables).toEqual(expect.arrayContaining(['embeddings', 'semantic-search', 'zero-shot-tags', 'ocr-gating']));
    expect(clip.sizeBytes).toBeGreaterThan(100_000_000);
    expect(byName.get('clip-multilingual')!.notes).toMatch(/Licence MIT/);
    expect(await isInstalled(data, 'faces')).toBe(true);
    expect(await isInstalled(data, 'clip-vit-b16')).toBe(false);
  });
});

describe('installFromFolder', () => {
  it('copies every complete weight variant, hashes the files and writes the manifest', async () => {
    const data = await temp('shoebox-data-');
    const manifest = await installFromFolder(data, 'clip-vit-b32', clipDir);
    const dir = modelDir(data, 'clip-vit-b32');

    const expected = [...filesFor(getHubModelSpec('clip-vit-b32'), 'q8'), 'onnx/vision_model.onnx', 'onnx/text_model.onnx'];
    expect(manifest.files.map((f) => f.path).sort()).toEqual(expected.sort());
    for (const f of manifest.files) {
      expect(f.sha256).toBe(await sha256(path.join(clipDir, f.path)));
      expect(f.sha256).toBe(await sha256(path.join(dir, f.path)));
    }
    expect(manifest).toMatchObject({ name: 'clip-vit-b32', repo: 'Xenova/clip-vit-base-patch32', revision: 'main', source: 'folder' });
    expect(manifest.digest).toBe(manifestDigest(manifest.files));
    expect(Date.parse(manifest.installedAt)).not.toBeNaN();

    const version = `clip-vit-b32@${manifest.digest}`;
    expect(await isInstalled(data, 'clip-vit-b32')).toBe(true);
    expect(await installedVersion(data, 'clip-vit-b32')).toBe(version);
    expect(await modelVersionAt(dir, 'clip-vit-b32')).toBe(version);
    const listed = (await listModels(data)).find((m) => m.name === 'clip-vit-b32')!;
    expect(listed).toMatchObject({ installed: true, version, path: dir });
    expect(listed.sizeBytes).toBe(manifest.files.reduce((s, f) => s + f.size, 0));
  });

  it('installs the quantized pair alone when that is all the folder has', async () => {
    const source = await fixtureCopy();
    await rm(path.join(source, 'onnx', 'vision_model.onnx'));
    const data = await temp('shoebox-data-');
    const manifest = await installFromFolder(data, 'clip-vit-b32', source);
    expect(manifest.files.map((f) => f.path)).toEqual(filesFor(getHubModelSpec('clip-vit-b32'), 'q8'));
  });

  it.each([
    ['a missing file', async (dir: string) => rm(path.join(dir, 'tokenizer.json')), /missing tokenizer\.json/],
    [
      'no complete set of weights',
      async (dir: string) => {
        await rm(path.join(dir, 'onnx', 'text_model.onnx'));
        await rm(path.join(dir, 'onnx', 'text_model_quantized.onnx'));
      },
      /no complete set of ONNX weights \(expected q8: onnx\/vision_model_quantized\.onnx \+ onnx\/text_model_quantized\.onnx/,
    ],
    [
      'a Git LFS pointer instead of weights',
      async (dir: string) => {
        const pointer = 'version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 89100000\n';
        await writeFile(path.join(dir, 'onnx', 'vision_model_quantized.onnx'), pointer);
      },
      /vision_model_quantized\.onnx is a Git LFS pointer.*git lfs pull/,
    ],
    ['broken JSON', async (dir: string) => writeFile(path.join(dir, 'config.json'), '{"model_type": '), /config\.json is not valid JSON/],
    // read whole to be parsed: one larger than any model's is refused by its size (a sparse file here)
    [
      'a JSON file no model has',
      async (dir: string) => truncate(path.join(dir, 'tokenizer.json'), 65 * 1024 * 1024),
      /tokenizer\.json is larger than 64 MB: not a model's JSON file/,
    ],
    ['an empty file', async (dir: string) => writeFile(path.join(dir, 'onnx', 'text_model.onnx'), ''), /text_model\.onnx is empty/],
  ])('refuses a folder with %s and installs nothing', async (_label, damage, message) => {
    const source = await fixtureCopy();
    await damage(source);
    const data = await temp('shoebox-data-');
    await expect(installFromFolder(data, 'clip-vit-b32', source)).rejects.toThrow(ModelInstallError);
    await expect(installFromFolder(data, 'clip-vit-b32', source)).rejects.toThrow(message);
    expect(await isInstalled(data, 'clip-vit-b32')).toBe(false);
  });

  it('refuses bundled models and folders that do not exist', async () => {
    const data = await temp('shoebox-data-');
    await expect(installFromFolder(data, 'faces', clipDir)).rejects.toThrow(/ships with Shoebox/);
    await expect(installFromFolder(data, 'clip-vit-b32', path.join(data, 'nowhere'))).rejects.toThrow(/does not exist/);
  });
});

describe('installed state', () => {
  it('stops counting a model as installed when one of its files goes missing', async () => {
    const data = await temp('shoebox-data-');
    await installFromFolder(data, 'clip-vit-b32', clipDir);
    await rm(path.join(modelDir(data, 'clip-vit-b32'), 'onnx', 'text_model_quantized.onnx'));
    expect(await isInstalled(data, 'clip-vit-b32')).toBe(false);
    expect(await installedVersion(data, 'clip-vit-b32')).toBeNull();
  });

  it('removes a hub model, and refuses to remove a bundled one', async () => {
    const data = await temp('shoebox-data-');
    await installFromFolder(data, 'clip-vit-b32', clipDir);
    expect(await removeModel(data, 'clip-vit-b32')).toBe(true);
    expect(existsSync(modelDir(data, 'clip-vit-b32'))).toBe(false);
    expect(await isInstalled(data, 'clip-vit-b32')).toBe(false);
    expect(await removeModel(data, 'clip-vit-b32')).toBe(false);
    await expect(removeModel(data, 'faces')).rejects.toThrow(/cannot be removed/);
  });

  it('versions a folder without a manifest from its ONNX files', async () => {
    const source = await fixtureCopy();
    expect(existsSync(path.join(source, MANIFEST_FILE))).toBe(false);
    const version = await modelVersionAt(source, 'clip-vit-b32');
    expect(version).toMatch(/^clip-vit-b32@local-[0-9a-f]{12}$/);
    await writeFile(path.join(source, 'onnx', 'text_model.onnx'), await readFile(path.join(source, 'onnx', 'vision_model.onnx')));
    expect(await modelVersionAt(source, 'clip-vit-b32')).not.toBe(version);
  });
});
