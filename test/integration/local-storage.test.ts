import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalStorage } from '../../src/storage/local.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-storage-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('local storage', () => {
  it('removes a photo’s derived files while a step is still writing them (a photo deleted mid-pipeline)', async () => {
    const storage = new LocalStorage(root);
    const photoId = 'ab0123456789';
    let writing = true;
    const writer = (async () => {
      // a writer may lose a race now and then (its photo is gone); it must never leave a temp file behind
      for (let i = 0; writing; i++) await storage.writeKey(storage.faceThumbnailKey(photoId, `face${i % 20}`), Buffer.from('webp')).catch(() => {});
    })();
    const failures: string[] = [];
    for (let i = 0; i < 300; i++) await storage.removeDerived(photoId).catch((error: Error) => failures.push(error.message));
    writing = false;
    await writer;
    expect(failures).toEqual([]);
    // once the writer is done, one more removal leaves nothing of the photo
    await storage.removeDerived(photoId);
    expect(fs.existsSync(path.join(root, 'derived', 'ab', photoId))).toBe(false);
    expect(fs.readdirSync(path.join(root, 'tmp'))).toEqual([]);
  });
});
