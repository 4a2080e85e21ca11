// Copying a library's files (originals, sidecars, renditions, face crops) from one blob store to another, and
// checking the originals by their SHA-256 where they land.
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../db/connection.js';
import type { BlobStore } from '../storage/blob-store.js';
import { derivedKey } from '../storage/keys.js';

export interface LibraryFile {
  key: string;
  /** The original's checksum, for the originals: what the copy is checked against. */
  sha256?: string;
  /** Whether the library is incomplete without it (originals and sidecars; renditions can be made again). */
  required: boolean;
}

/** Every file the library's rows name, each once. */
export async function libraryFiles(db: Db): Promise<LibraryFile[]> {
  const photos = await rows<{ id: string; storage_key: string; sha256: string; sidecar_key: string | null }>(
    db,
    sql`select id, storage_key, sha256, sidecar_key from photos order by created_at, id`,
  );
  const faces = await rows<{ key: string }>(db, sql`select thumbnail_key as key from faces where thumbnail_key is not null order by thumbnail_key`);
  const files = new Map<string, LibraryFile>();
  const add = (file: LibraryFile) => files.has(file.key) || files.set(file.key, file);
  for (const photo of photos) {
    add({ key: photo.storage_key, sha256: photo.sha256, required: true });
    if (photo.sidecar_key) add({ key: photo.sidecar_key, required: true });
    add({ key: derivedKey(photo.id, 'thumbnail.webp'), required: false });
    add({ key: derivedKey(photo.id, 'preview.jpg'), required: false });
  }
  for (const face of faces) add({ key: face.key, required: false });
  return [...files.values()];
}

export type CopyOutcome = 'copied' | 'present' | 'absent';

/**
 * Copies one file unless the target has it already at the same size (an earlier run): streamed through a local
 * file, never whole in memory. `absent`: the source has no such file.
 */
export async function copyFile(source: BlobStore, target: BlobStore, file: LibraryFile): Promise<CopyOutcome> {
  const stat = await source.stat(file.key);
  if (!stat) return 'absent';
  const there = await target.stat(file.key);
  if (there && there.size === stat.size) return 'present';
  const local = await source.localFile(file.key);
  try {
    await target.putFile(file.key, local.path);
  } finally {
    await local.release();
  }
  return 'copied';
}

/** The SHA-256 of a stored blob, read as a stream. */
export async function storedSha256(store: BlobStore, key: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of await store.get(key)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Runs `work` over the items, `parallel` at a time, in order of start. */
export async function eachLimited<T>(items: readonly T[], parallel: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(parallel, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}
