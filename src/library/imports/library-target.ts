// A Takeout import into the library in this process (no server running on it): the same door, sidecar and queue as
// `shoebox import`, then favourites, albums and the trash through the library's own functions.
import { and, eq, gte } from 'drizzle-orm';
import { inBatches } from '../../base/concurrency.js';
import { photos } from '../../db/schema.js';
import { owns } from '../../scope/rows.js';
import type { Library } from '../library.js';
import { addPhotos, createAlbum, updateAlbum } from '../albums/manual.js';
import { listAlbums } from '../albums/summary.js';
import { attachSidecar, ingestStream } from '../ingest/ingest.js';
import { archiveMarked, favourMarked } from '../ingest/marks.js';
import { queuePhotos } from '../photos/door.js';
import { trashPhotos } from '../trash/trash.js';
import type { TakeoutTarget } from '../takeout/import.js';

const BATCH = 1000;

/** The user's own manual album of this name, if there is one. */
async function ownAlbumNamed(lib: Library, name: string): Promise<{ id: string; coverChosen: boolean } | null> {
  for (let page = 1; ; page++) {
    const { items, total, limit } = await listAlbums(lib, { kind: 'manual', sharing: 'mine', page, limit: 500 });
    const found = items.find((album) => album.name === name);
    if (found) return found;
    if (page * limit >= total) return null;
  }
}

/** The cover of the user's album of a title, unless one was chosen there: whether it was set (an export's import). */
export async function setLibraryAlbumCover(lib: Library, title: string, photoId: string): Promise<boolean> {
  const album = await ownAlbumNamed(lib, title);
  if (!album || album.coverChosen) return false;
  await updateAlbum(lib, album.id, { coverPhotoId: photoId });
  return true;
}

/** Puts photos in the user's album of a title, made when there is none. */
function libraryAlbums(lib: Library): TakeoutTarget['album'] {
  const albums = new Map<string, string>();
  return async (meta, ids) => {
    let id = albums.get(meta.title) ?? (await ownAlbumNamed(lib, meta.title))?.id;
    id ??= (await createAlbum(lib, { name: meta.title, description: meta.description ?? null })).id;
    albums.set(meta.title, id);
    await inBatches(ids, BATCH, (batch) => addPhotos(lib, id, batch));
  };
}

/** Whether the photo came from this file (its source path, the label) since the import began: an earlier run's. */
async function addedSince(lib: Library, id: string, label: string, since: Date): Promise<boolean> {
  const [row] = await lib.db
    .select({ id: photos.id })
    .from(photos)
    .where(and(eq(photos.id, id), owns(lib, photos), eq(photos.sourcePath, label), gte(photos.createdAt, since)));
  return row !== undefined;
}

/**
 * The library as an import's target. `since`: when the import began (a server's import, run again after a stop); a
 * photo this file added since then is the import's own.
 */
export function libraryTarget(lib: Library, options: { since?: Date } = {}): TakeoutTarget {
  return {
    async add(name, stream, sidecarFile, label) {
      const result = await ingestStream(lib, { filename: name, stream, source: { kind: 'import', sourcePath: label } });
      const attached = sidecarFile ? await attachSidecar(lib, result.id, sidecarFile, 'json') : false;
      if (!result.duplicate || attached) await queuePhotos(lib, [result.id]);
      const ours = result.duplicate && options.since !== undefined && (await addedSince(lib, result.id, label, options.since));
      return { id: result.id, duplicate: result.duplicate, video: result.type === 'video', attached, ours };
    },
    favorite: (ids) => favourMarked(lib, ids),
    archive: (ids) => archiveMarked(lib, ids),
    trash: (ids) => inBatches(ids, BATCH, (batch) => trashPhotos(lib, batch)),
    album: libraryAlbums(lib),
  };
}
