// Automatic albums: the photos a regeneration clusters, read from the database (SQL only, no decisions).
//
// What is clustered: the owner's photos that are not in the trash and have an embedding of the CLIP model in use
// (photo_embeddings.model = MlServices.clipVersion()). Photos still waiting for their embedding are left out (the
// summary counts them as `pending`) and join through assignToAutoAlbums when their pipeline finishes.
import { sql } from 'drizzle-orm';
import { rows } from '../../db/connection.js';
import { parseVector } from '../../db/vector-values.js';
import type { AlbumPhoto } from './auto-clustering-params.js';
import { BATCH, type AutoAlbumsLibrary } from './auto-context.js';
import { ownsSql } from '../../scope/rows.js';

export interface SnapshotPhoto extends AlbumPhoto {
  city: string | null;
  state: string | null;
  country: string | null;
}

export interface Snapshot {
  photos: SnapshotPhoto[];
  byId: Map<string, SnapshotPhoto>;
}

/** The owner's live photos with an embedding of `model`, in id order, read a page at a time. */
export async function loadSnapshot(lib: AutoAlbumsLibrary, model: string): Promise<Snapshot> {
  const photos: SnapshotPhoto[] = [];
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const page = await rows<{ id: string; embedding: string; taken_ms: number | null; city: string | null; state: string | null; country: string | null }>(
      lib.db,
      sql`select p.id, e.embedding::text as embedding, (extract(epoch from p.taken_at) * 1000)::float8 as taken_ms,
            p.place_city as city, p.place_state as state, p.place_country as country
          from photos p join photo_embeddings e on e.photo_id = p.id
          where ${ownsSql(lib, 'p')} and p.deleted_at is null and e.model = ${model} and p.id > ${after}::uuid
          order by p.id limit ${BATCH}`,
    );
    for (const row of page) {
      const place = row.city ?? row.state ?? row.country;
      photos.push({
        photoId: row.id,
        embedding: parseVector(row.embedding),
        takenAt: row.taken_ms === null ? null : new Date(Number(row.taken_ms)),
        place,
        city: row.city,
        state: row.state,
        country: row.country,
      });
    }
    if (page.length < BATCH) break;
    after = page[page.length - 1]!.id;
  }
  return { photos, byId: new Map(photos.map((photo) => [photo.photoId, photo])) };
}

export async function countPending(lib: AutoAlbumsLibrary, model: string): Promise<number> {
  const [row] = await rows<{ n: number }>(
    lib.db,
    sql`select count(*)::int as n from photos p
        where ${ownsSql(lib, 'p')} and p.deleted_at is null
          and not exists (select 1 from photo_embeddings e where e.photo_id = p.id and e.model = ${model})`,
  );
  return row?.n ?? 0;
}
