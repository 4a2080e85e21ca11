// An export's photos from the library in this process, as its owner sees them: the whole library (every photo of a
// stack, the archive too), one album, or a selection of the user's own photos (library/export/run.ts reads them).
import { sql } from 'drizzle-orm';
import { allPages } from '../../base/pages.js';
import { uuidArray } from '../../db/arrays.js';
import { rows } from '../../db/connection.js';
import { derivedMotionKey } from '../../storage/keys.js';
import { ownPhotoSql, ownPhotosScope } from '../../scope/access.js';
import { getAlbumSummary, listAlbums } from '../albums/summary.js';
import type { Library } from '../library.js';
import { listPhotos, listPhotosIn } from '../photos/list.js';
import { findPhoto } from '../photos/photos.js';
import { getPhotoDetail } from '../photo-detail/detail.js';
import { stacksByHand } from '../stacks/by-hand.js';
import { albumFactsOf, type ExportSource } from './run.js';
import type { ExportPhoto } from './sidecar.js';

/** What to export: everything, an album, or chosen photos (in their order). */
export type ExportScope = { all: true } | { album: string } | { ids: readonly string[] };

type Detail = ExportPhoto & { motion?: boolean };

/** The name a motion photo's embedded video gets beside its still. */
export function motionName(photo: Pick<ExportPhoto, 'filename'>): string {
  return `${photo.filename.replace(/\.[^.]*$/u, '')}-motion.mp4`;
}

export function librarySource(lib: Library, scope: ExportScope): ExportSource {
  const row = async (id: string) => {
    const found = await findPhoto(lib, id);
    if (!found) throw new Error(`photo ${id} is gone`);
    return found;
  };
  return {
    async ids() {
      const page = (n: number) => ({ page: n, limit: 500, stacks: 'expand', archived: 'include' }) as Parameters<typeof listPhotos>[1];
      if ('all' in scope) return (await allPages((n) => listPhotosIn(lib, ownPhotosScope(lib), page(n)))).map((item) => item.id);
      // an album (one shared with the user too: a 404 when they may not see it) or the photos asked for: the user's
      // own among them, not in the trash, in their order
      if ('album' in scope) await getAlbumSummary(lib, scope.album); // the album's own 404
      const asked =
        'ids' in scope ? [...new Set(scope.ids)] : (await allPages((n) => listPhotos(lib, { ...page(n), album: scope.album }))).map((item) => item.id);
      if (asked.length === 0) return [];
      const own = await rows<{ id: string }>(
        lib.db,
        sql`select p.id from photos p where p.id = any(${uuidArray(asked)}) and p.deleted_at is null and ${ownPhotoSql(lib)}`,
      );
      const found = new Set(own.map((p) => p.id));
      return asked.filter((id) => found.has(id));
    },
    async photo(id) {
      const detail = await getPhotoDetail(lib, id);
      if (!detail) throw new Error(`photo ${id} is gone`);
      return detail as unknown as Detail;
    },
    async albumFacts() {
      const albums = await allPages((page) => listAlbums(lib, { kind: 'manual', sharing: 'mine', page, limit: 500 }));
      return albumFactsOf(albums);
    },
    async original(id) {
      const photo = await row(id);
      return lib.storage.at(photo.storageLocation).get(photo.storageKey);
    },
    async motion(photo) {
      const found = await row(photo.id);
      if (!found.motion) return null;
      const key = found.motion.source === 'live' ? found.motion.key : derivedMotionKey(found.id);
      const name = found.motion.source === 'live' ? found.motion.filename : motionName(photo);
      return { name, embedded: found.motion.source !== 'live', open: () => lib.storage.at(found.storageLocation).get(key) };
    },
    handStacks: (ids) => stacksByHand(lib, ids),
  };
}
