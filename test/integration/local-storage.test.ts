import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { faceThumbnailKey, derivedPrefix } from '../../src/storage/keys.js';
import { LocalBlobStore } from '../../src/storage/local.js';
import { Scratch } from '../../src/storage/scratch.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-storage-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('local storage', () => {
  it('removes a photo’s derived files while a step is still writing them (a photo deleted mid-pipeline)', async () => {
    const scratch = new Scratch(path.join(root, 'tmp'));
    const storage = new LocalBlobStore(root, scratch);
    const photoId = 'ab0123456789';
    let writing = true;
    const writer = (async () => {
      // a writer may lose a race now and then (its photo is gone); it must never leave a temp file behind
      for (let i = 0; writing; i++) await storage.put(faceThumbnailKey(photoId, `face${i % 20}`), Buffer.from('webp')).catch(() => {});
    })();
    const failures: string[] = [];
    for (let i = 0; i < 300; i++) await storage.removePrefix(derivedPrefix(photoId)).catch((error: Error) => failures.push(error.message));
    writing = false;
    await writer;
    expect(failures).toEqual([]);
    // once the writer is done, one more removal leaves nothing of the photo
    await storage.removePrefix(derivedPrefix(photoId));
    expect(fs.existsSync(path.join(root, 'derived', 'ab', photoId))).toBe(false);
    expect(fs.readdirSync(path.join(root, 'tmp'))).toEqual([]);
  });
});
