// Copying a library's files (originals with Live Photos' MOVs, sidecars, renditions, videos' playable copies, face crops) from one blob store to another, and
// checking the originals by their SHA-256 where they land.
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../db/connection.js';
import type { BlobStore } from '../storage/blob-store.js';
import { isInPlaceKey } from '../storage/in-place.js';
import { derivedKey, derivedMotionKey, derivedVideoKey } from '../storage/keys.js';
import { MissingStorageLocationError, type StorageLocations } from '../storage/locations.js';

export interface LibraryFile {
  /** The storage location it is in (its photo's; null: the main store). */
  location: string | null;
  key: string;
  /** The original's checksum, for the originals: what the copy is checked against. */
  sha256?: string;
  /** Whether the library is incomplete without it (originals and sidecars; renditions can be made again). */
  required: boolean;
}

/** Every file the library's rows name, each once. */
export async function libraryFiles(db: Db): Promise<LibraryFile[]> {
  const photos = await rows<{
    id: string;
    storage_key: string;
    sha256: string;
    sidecar_key: string | null;
    location: string | null;
    live_key: string | null;
    live_sha256: string | null;
  }>(
    db,
    sql`select id, storage_key, sha256, sidecar_key, storage_location as location,
               case when motion->>'source' = 'live' then motion->>'key' end as live_key,
               case when motion->>'source' = 'live' then motion->>'sha256' end as live_sha256
        from photos order by created_at, id`,
  );
  const faces = await rows<{ key: string; location: string | null }>(
    db,
    sql`select f.thumbnail_key as key, p.storage_location as location from faces f join photos p on p.id = f.photo_id
        where f.thumbnail_key is not null order by f.thumbnail_key`,
  );
  const files = new Map<string, LibraryFile>();
  const add = (file: LibraryFile) => {
    const id = `${file.location ?? ''}\n${file.key}`;
    if (!files.has(id)) files.set(id, file);
  };
  for (const { id, location, ...photo } of photos) {
    // a library in place's files stay in its folders, which the target reads at the same paths
    if (!isInPlaceKey(photo.storage_key)) add({ location, key: photo.storage_key, sha256: photo.sha256, required: true });
    if (photo.sidecar_key && !isInPlaceKey(photo.sidecar_key)) add({ location, key: photo.sidecar_key, required: true });
    // a Live Photo's MOV is an original of its own (library/live-photos/live-photos.ts)
    if (photo.live_key && photo.live_sha256 && !isInPlaceKey(photo.live_key)) add({ location, key: photo.live_key, sha256: photo.live_sha256, required: true });
    add({ location, key: derivedKey(id, 'thumbnail.webp'), required: false });
    add({ location, key: derivedKey(id, 'preview.jpg'), required: false });
    // a video's playable copy and a motion photo's video: made again only by a reprocess, so kept when there
    add({ location, key: derivedVideoKey(id), required: false });
    add({ location, key: derivedMotionKey(id), required: false });
  }
  for (const face of faces) add({ location: face.location, key: face.key, required: false });
  return [...files.values()];
}

/** Refuses, before anything is copied, files in a storage location the other end has not set up. */
export function requireLocations(files: readonly LibraryFile[], ...ends: StorageLocations[]): void {
  const named = new Set(files.map((file) => file.location));
  for (const end of ends) for (const location of named) if (!end.has(location)) throw new MissingStorageLocationError(location!);
}

export type CopyOutcome = 'copied' | 'present' | 'absent';

/** Copies one of the library's files between the ends' stores for its location (see copyBlob). */
export async function copyFile(sourceLocations: StorageLocations, targetLocations: StorageLocations, file: LibraryFile): Promise<CopyOutcome> {
  const source = sourceLocations.at(file.location);
  const target = targetLocations.at(file.location);
  if (source === target) return 'present'; // a location both ends share (a bucket of its own): nothing to move
  return copyBlob(source, target, file.key);
}

/**
 * Copies one blob between stores unless the target has it already at the same size (an earlier run): streamed
 * through a local file, never whole in memory. `absent`: the source has no such blob.
 */
export async function copyBlob(source: BlobStore, target: BlobStore, key: string): Promise<CopyOutcome> {
  const stat = await source.stat(key);
  if (!stat) return 'absent';
  const there = await target.stat(key);
  if (there && there.size === stat.size) return 'present';
  const local = await source.localFile(key);
  try {
    await target.putFile(key, local.path);
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
