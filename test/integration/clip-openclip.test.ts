// An OpenCLIP ViT-B-32 in Immich's layout (immich-app/ViT-B-32__laion2b-s34b-b79k, the catalogue's
// clip-vit-b32-laion2b) through `loadClip`, with a generated fixture of that layout: one `text` input of 77 int32
// tokens and no attention mask, the CLIP BPE tokenizer under textual/. Installed from a folder by the catalogue's
// own file list, it loads, gives 512-d normalised vectors, and its text follows English colour words.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectClipLayout, loadClip } from '../../src/ml/clip.js';
import { getHubModelSpec, modelDir } from '../../src/ml/model-catalogue.js';
import { installFromFolder } from '../../src/ml/registry.js';
import type { ClipModel } from '../../src/ml/types.js';
import { ensureFixtureModels } from '../fixtures/models/index.js';
import { rank } from '../helpers/clip.js';
import { colourPhotos } from '../helpers/images.js';
import { makeTempDir } from '../helpers/temp.js';
import { norm } from '../helpers/vectors.js';

let work: string;
let clip: ClipModel;
let images: Record<'red' | 'green' | 'blue' | 'yellow', string>;

beforeAll(async () => {
  const { openClipDir } = await ensureFixtureModels();
  work = await makeTempDir('shoebox-openclip-');
  images = await colourPhotos(work, 7);
  // installed the way a pull or a folder install leaves it: only the files the catalogue names
  await installFromFolder(work, 'clip-vit-b32-laion2b', openClipDir);
  clip = await loadClip(modelDir(work, 'clip-vit-b32-laion2b'), { name: 'clip-vit-b32-laion2b', device: 'cpu' });
});

afterAll(async () => {
  await clip?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('an OpenCLIP text tower in the Immich layout', () => {
  it('is the layout the catalogue entry names, and loads from the files it lists', () => {
    expect(getHubModelSpec('clip-vit-b32-laion2b')).toMatchObject({ layout: 'immich', repo: 'immich-app/ViT-B-32__laion2b-s34b-b79k' });
    expect(detectClipLayout(modelDir(work, 'clip-vit-b32-laion2b'))).toBe('immich');
    expect(path.basename(modelDir(work, 'clip-vit-b32-laion2b'))).toBe('clip-vit-b32-laion2b');
    expect(clip.dimensions).toBe(512);
  });

  it('gives normalised 512-d vectors for any text, the graph fed one padded `text` input', async () => {
    for (const text of ['red', 'a photo of a red car', '', 'x'.repeat(2000)]) {
      const v = await clip.embedText(text);
      expect(v.length).toBe(512);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
  });

  it('ranks each colour photo first for its colour word', async () => {
    for (const colour of ['red', 'green', 'blue', 'yellow'] as const) {
      expect((await rank(clip, `a ${colour} photo`, images))[0], colour).toBe(colour);
    }
  });
});
