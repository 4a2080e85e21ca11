import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobNotFoundError, readBlob, type BlobStore } from '../../src/storage/blob-store.js';
import { LocalFileCache } from '../../src/storage/file-cache.js';
import { LocalBlobStore } from '../../src/storage/local.js';
import { s3Client, S3BlobStore } from '../../src/storage/s3.js';
import { Scratch } from '../../src/storage/scratch.js';
import { startS3Server, type S3Server } from '../helpers/s3-server.js';

// One contract for every blob store: what the library and the pipeline rely on, whichever store holds the files.
const folders: string[] = [];
const opened: BlobStore[] = [];
let s3: S3Server;
beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(async () => {
  for (const store of opened) await store.close();
  await s3?.stop();
  folders.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }));
});
const folder = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-blobs-'));
  folders.push(dir);
  return dir;
};

const stores: { name: string; open(): Promise<BlobStore> }[] = [
  {
    name: 'local folder',
    async open() {
      const root = folder();
      return new LocalBlobStore(root, new Scratch(path.join(root, 'tmp')));
    },
  },
  {
    name: 'S3 bucket (AWS SDK → s3rver over HTTP)',
    async open() {
      const store = await openS3Store(`contract-${opened.length}`);
      return store;
    },
  },
];

async function openS3Store(prefix: string, cacheBytes = 64 * 1024 * 1024): Promise<S3BlobStore> {
  const client = s3Client({
    endpoint: s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
  const store = new S3BlobStore(client, { bucket: s3.bucket, prefix }, await LocalFileCache.open(folder(), cacheBytes));
  opened.push(store);
  await store.check();
  return store;
}

describe.each(stores)('blob store: $name', ({ open }) => {
  const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7) % 251));

  it('stores bytes and gives them back whole or in ranges; a new put replaces them', async () => {
    const store = await open();
    await store.put('derived/ab/abc/preview.jpg', bytes);
    expect(await readBlob(store, 'derived/ab/abc/preview.jpg')).toEqual(bytes);
    const stat = await store.stat('derived/ab/abc/preview.jpg');
    expect(stat?.size).toBe(bytes.length);
    expect(stat!.modifiedAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
    const ranged: Buffer[] = [];
    for await (const chunk of await store.get('derived/ab/abc/preview.jpg', { start: 65_530, end: 69_999 })) ranged.push(chunk as Buffer);
    expect(Buffer.concat(ranged)).toEqual(bytes.subarray(65_530, 70_000));
    await store.put('derived/ab/abc/preview.jpg', Buffer.from('smaller'));
    expect((await readBlob(store, 'derived/ab/abc/preview.jpg')).toString()).toBe('smaller');
  });

  it('copies a local file in, or takes it when asked to move it', async () => {
    const store = await open();
    const source = path.join(folder(), 'photo.jpg');
    fs.writeFileSync(source, bytes);
    await store.putFile('originals/aa/bb/one.jpg', source);
    expect(fs.existsSync(source)).toBe(true);
    await store.putFile('originals/aa/bb/two.jpg', source, { move: true });
    expect(fs.existsSync(source)).toBe(false);
    for (const key of ['originals/aa/bb/one.jpg', 'originals/aa/bb/two.jpg']) expect(await readBlob(store, key)).toEqual(bytes);
  });

  it('says plainly when a key is missing, and removing it twice is no error', async () => {
    const store = await open();
    expect(await store.stat('originals/no/ne/missing.jpg')).toBeNull();
    await expect(store.get('originals/no/ne/missing.jpg')).rejects.toBeInstanceOf(BlobNotFoundError);
    await expect(store.localFile('originals/no/ne/missing.jpg')).rejects.toBeInstanceOf(BlobNotFoundError);
    await store.put('sidecars/x.xmp', Buffer.from('<x/>'));
    await store.remove('sidecars/x.xmp');
    await store.remove('sidecars/x.xmp');
    expect(await store.stat('sidecars/x.xmp')).toBeNull();
  });

  it('removes everything under a prefix and nothing beside it', async () => {
    const store = await open();
    await store.put('derived/ab/abc/thumbnail.webp', bytes);
    await store.put('derived/ab/abc/faces/f1.webp', bytes);
    await store.put('derived/ab/abcd/thumbnail.webp', bytes);
    await store.removePrefix('derived/ab/abc');
    expect(await store.stat('derived/ab/abc/thumbnail.webp')).toBeNull();
    expect(await store.stat('derived/ab/abc/faces/f1.webp')).toBeNull();
    expect(await store.stat('derived/ab/abcd/thumbnail.webp')).not.toBeNull();
    await store.removePrefix('derived/ab/nothing-here');
  });

  it('lends a local file with the bytes to a tool that needs a path', async () => {
    const store = await open();
    await store.put('originals/cc/dd/photo.jpg', bytes);
    const lent = await store.localFile('originals/cc/dd/photo.jpg');
    expect(fs.readFileSync(lent.path)).toEqual(bytes);
    await lent.release();
    expect(await store.stat('originals/cc/dd/photo.jpg')).not.toBeNull(); // releasing the loan keeps the blob
  });

  it('refuses keys that leave the store', async () => {
    const store = await open();
    await expect(store.put('../outside.txt', Buffer.from('x'))).rejects.toThrow(/escapes/);
    await expect(store.get('originals/../../etc/passwd')).rejects.toThrow(/escapes/);
  });
});
