// Automatic albums as earlier regenerations left them: the albums a regeneration reconciles, the stamp that tells
// whether they changed meanwhile, and the library_meta key its parameters are recorded under. SQL reads only; apart
// so that planning (auto-plan.ts), writing (auto-write.ts) and incremental assignment (auto-assign.ts) share them.
import { sql } from 'drizzle-orm';
import { rows } from '../../db/connection.js';
import type { AutoAlbumsLibrary } from './auto-context.js';
import { ownsSql, type OwnerView } from '../../scope/rows.js';

export interface ExistingAlbum {
  id: string;
  kind: string;
  status: string;
  name: string;
  description: string | null;
  tags: string[];
  primaryCategory: string | null;
  nameSource: string | null;
  signature: string | null;
  members: Set<string>;
}

export interface Existing {
  /** Which albums there are and in which kind and status: what writePlan checks again before writing. */
  stamp: string;
  albums: ExistingAlbum[];
}

/** Albums regeneration reads: automatic ones, and manual ones made from a cluster (kept by the user). */
const RECONCILED = sql`(a.kind = 'auto' or a.signature is not null)`;

export async function albumStamp(owner: OwnerView): Promise<string> {
  const [row] = await rows<{ stamp: string | null }>(
    owner.db,
    sql`select md5(string_agg(a.id::text || ':' || a.kind || ':' || a.status, ',' order by a.id)) as stamp
        from albums a where ${ownsSql(owner, 'a')} and ${RECONCILED}`,
  );
  return row?.stamp ?? '';
}

export async function loadExisting(lib: AutoAlbumsLibrary): Promise<Existing> {
  const stamp = await albumStamp(lib);
  const found = await rows<{
    id: string;
    kind: string;
    status: string;
    name: string;
    description: string | null;
    tags: string[] | null;
    primary_category: string | null;
    name_source: string | null;
    signature: string | null;
  }>(
    lib.db,
    sql`select a.id, a.kind, a.status, a.name, a.description, a.tags, a.primary_category, a.name_source, a.signature
        from albums a where ${ownsSql(lib, 'a')} and ${RECONCILED} order by a.id`,
  );
  const albums = found.map((row) => ({
    id: row.id,
    kind: row.kind,
    status: row.status,
    name: row.name,
    description: row.description,
    tags: row.tags ?? [],
    primaryCategory: row.primary_category,
    nameSource: row.name_source,
    signature: row.signature,
    members: new Set<string>(),
  }));
  const byId = new Map(albums.map((album) => [album.id, album]));
  const members = await rows<{ album_id: string; photo_id: string }>(
    lib.db,
    sql`select ap.album_id, ap.photo_id from album_photos ap
        join albums a on a.id = ap.album_id join photos p on p.id = ap.photo_id
        where ${ownsSql(lib, 'a')} and ${RECONCILED} and p.deleted_at is null`,
  );
  for (const row of members) byId.get(row.album_id)?.members.add(row.photo_id);
  return { stamp, albums };
}

/** The library_meta key a regeneration records its parameters under (writePlan), read back by auto-assign.ts. */
export function metaKey(owner: OwnerView): string {
  return `auto_albums:${owner.ownerId}`;
}
