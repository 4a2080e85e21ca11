import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBlob, StorageUnavailableError } from '../../src/storage/blob-store.js';
import { LocalFileCache } from '../../src/storage/file-cache.js';
import { s3Client, S3BlobStore } from '../../src/storage/s3.js';
import { startS3Server, type S3Server } from '../helpers/s3-server.js';

// What only the S3 store has to get right, beside the contract every store keeps (blob-store-contract.test.ts):
// multipart uploads, the bounded local cache, a store that goes down, refused keys, presigned links.
let s3: S3Server;
const folders: string[] = [];
const stores: S3BlobStore[] = [];
const folder = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-s3-test-'));
  folders.push(dir);
  return dir;
};
beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(async () => {
  for (const store of stores) await store.close();
  await s3?.stop();
  folders.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }));
});

const MB = 1024 * 1024;
const connection = (secretAccessKey = 'S3RVER', accessKeyId = 'S3RVER') => ({
  endpoint: s3.endpoint,
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: { accessKeyId, secretAccessKey },
});
async function open(prefix: string, cacheBytes = 64 * MB, keys?: { id: string; secret: string }) {
  const client = s3Client(connection(keys?.secret, keys?.id));
  const cache = await LocalFileCache.open(folder(), cacheBytes);
  const store = new S3BlobStore(client, { bucket: s3.bucket, prefix }, cache);
  stores.push(store);
  return { store, cache, client };
}
const pattern = (size: number, seed: number) => {
  const bytes = Buffer.alloc(Math.floor(size));
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * seed + (i >> 12)) % 251;
  return bytes;
};

describe('S3 object storage', () => {
  it('uploads a large file in parts, streamed from disk, and reads any range of it back', async () => {
    const { store, client } = await open('multipart');
    const commands: string[] = [];
    client.middlewareStack.add((next, context) => (args) => (commands.push(context.commandName ?? '?'), next(args)), { step: 'initialize' });
    const bytes = pattern(20 * MB + 12_345, 13);
    const file = path.join(folder(), 'big.heic');
    fs.writeFileSync(file, bytes);
    await store.putFile('originals/ab/cd/big.heic', file, { move: true });
    expect(fs.existsSync(file)).toBe(false);
    // three parts of 8 MiB at most: a multipart upload, not one PUT of the whole
    expect(commands).toEqual(['CreateMultipartUploadCommand', 'UploadPartCommand', 'UploadPartCommand', 'UploadPartCommand', 'CompleteMultipartUploadCommand']);
    const head = await client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: 'multipart/originals/ab/cd/big.heic' }));
    expect(head.ContentLength).toBe(bytes.length);
    expect((await readBlob(store, 'originals/ab/cd/big.heic')).equals(bytes)).toBe(true);
    const chunks: Buffer[] = [];
    for await (const chunk of await store.get('originals/ab/cd/big.heic', { start: 8 * MB - 10, end: 8 * MB + 9 })) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(bytes.subarray(8 * MB - 10, 8 * MB + 10))).toBe(true);
  });

  it('keeps lent copies in a bounded local cache, reuses them, and never replaces a copy being read', async () => {
    const { store, cache } = await open('cache', 4 * MB);
    for (const name of ['a', 'b', 'c']) await store.put(`originals/00/00/${name}.jpg`, pattern(1.5 * MB, name.charCodeAt(0)));
    const a = await store.localFile('originals/00/00/a.jpg');
    const again = await store.localFile('originals/00/00/a.jpg');
    expect(again.path).toBe(a.path); // one copy for two readers
    const b = await store.localFile('originals/00/00/b.jpg');
    const c = await store.localFile('originals/00/00/c.jpg');
    expect(cache.bytes).toBeGreaterThan(4 * MB); // all three are being read: none may go
    for (const lent of [a, again, b, c]) expect(fs.existsSync(lent.path)).toBe(true);
    await store.put('originals/00/00/c.jpg', pattern(1.5 * MB, 7)); // replaced while c is read
    const newer = await store.localFile('originals/00/00/c.jpg');
    expect(newer.path).not.toBe(c.path);
    expect(fs.readFileSync(newer.path).equals(pattern(1.5 * MB, 7))).toBe(true);
    expect(fs.readFileSync(c.path).equals(pattern(1.5 * MB, 'c'.charCodeAt(0)))).toBe(true);
    await c.release();
    expect(fs.existsSync(c.path)).toBe(false); // the old version goes with its last reader
    for (const lent of [a, again, b, newer]) await lent.release();
    expect(cache.bytes).toBeLessThanOrEqual(4 * MB);
    expect(fs.readdirSync(cache.dir).length).toBeLessThanOrEqual(2);
    expect(fs.existsSync(newer.path)).toBe(true); // the most recently used stays
  });

  it('says the store is unavailable while it is down, and works again when it is back', async () => {
    const { store } = await open('outage');
    await store.put('sidecars/one.xmp', Buffer.from('<x/>'));
    await s3.kill();
    try {
      const failure = await store.put('sidecars/two.xmp', Buffer.from('<y/>')).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(StorageUnavailableError);
      expect((failure as Error).message).toMatch(/object storage unavailable \(ECONNREFUSED\)/);
      await expect(store.localFile('sidecars/one.xmp')).rejects.toBeInstanceOf(StorageUnavailableError);
    } finally {
      await s3.start();
    }
    await store.put('sidecars/two.xmp', Buffer.from('<y/>'));
    expect((await readBlob(store, 'sidecars/one.xmp')).toString()).toBe('<x/>');
  });

  it('refuses unknown keys and a missing bucket with a message that names neither secret nor signature', async () => {
    const { store } = await open('refused', 64 * MB, { id: 'NOT-A-KEY', secret: 'very-secret-value-123' });
    const refused = await store.put('sidecars/x.xmp', Buffer.from('x')).catch((error: unknown) => error);
    expect(refused).not.toBeInstanceOf(StorageUnavailableError); // not worth retrying
    expect((refused as Error).message).toMatch(/refused the request \(InvalidAccessKeyId 403\)/);
    expect((refused as Error).message).not.toContain('very-secret-value-123');
    await expect(store.check()).rejects.toThrow(/refused the keys for bucket "shoebox-test"/);
    const missing = new S3BlobStore(s3Client(connection()), { bucket: 'no-such-bucket', prefix: '' }, await LocalFileCache.open(folder(), MB));
    stores.push(missing);
    await expect(missing.check()).rejects.toThrow(/the bucket "no-such-bucket" does not exist/);
  });

  it('gives presigned links a browser can fetch, with the type and file name asked for', async () => {
    const { store } = await open('presigned');
    const bytes = pattern(30_000, 3);
    await store.put('originals/11/22/photo.jpg', bytes);
    const url = await store.presignedUrl('originals/11/22/photo.jpg', {
      expiresInSeconds: 60,
      contentType: 'image/jpeg',
      contentDisposition: 'attachment; filename="holiday.jpg"',
    });
    expect(url).toMatch(/X-Amz-Signature=/);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="holiday.jpg"');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
  });
});
