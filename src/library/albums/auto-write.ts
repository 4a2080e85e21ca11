// Automatic albums: a regeneration's plan written to the database in one transaction, under an advisory lock and only
// while the albums are as the plan saw them. SQL only; the decisions were taken in auto-plan.ts.
import { sql, type SQL } from 'drizzle-orm';
import { textArray, uuidArray } from '../../db/arrays.js';
import { rows, type Db } from '../../db/connection.js';
import { BATCH, type AutoAlbumsLibrary, type RegenerateParams } from './auto-context.js';
import { albumStamp, metaKey } from './auto-existing.js';
import type { Plan } from './auto-plan.js';
import { ownsSql } from '../../scope/rows.js';
import { inTransaction } from '../actors.js';

/**
 * Writes the plan in one transaction, unless the albums changed kind or status (or appeared, or went) since it was
 * made: then 'stale'. Returns the photos whose search rows change and the ids of the albums created.
 */
export async function writePlan(
  lib: AutoAlbumsLibrary,
  plan: Plan,
  stamp: string,
  meta: RegenerateParams & { model: string },
): Promise<'stale' | { affected: Set<string>; createdIds: Record<number, string> }> {
  const affected = new Set<string>();
  const createdIds: Record<number, string> = {};
  const stale = await lib.db.transaction(async (txAny) => {
    const tx = txAny as unknown as Db;
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`auto-albums:${lib.ownerId}`}))`);
    if ((await albumStamp(inTransaction(lib, tx))) !== stamp) return true;

    if (plan.removals.length > 0) {
      const ids = plan.removals.map((album) => album.id);
      const gone = await rows<{ photo_id: string }>(tx, sql`select photo_id from album_photos where album_id = any(${uuidArray(ids)})`);
      for (const row of gone) affected.add(row.photo_id);
      await tx.execute(sql`delete from albums where id = any(${uuidArray(ids)}) and kind = 'auto' and status = 'active'`);
      // Their suggestion terms are at zero now and can never count again (as deleteAlbum does).
      await tx.execute(sql`delete from search_terms where ${ownsSql(lib, 'search_terms')} and kind = 'album' and key = any(${uuidArray(ids)}::text[])`);
    }

    for (const update of plan.updates) {
      const { album, cluster, add, remove, rename } = update;
      const membersChanged = add.length > 0 || remove.length > 0 || album.signature !== cluster.signature;
      if (!membersChanged && !rename) continue;
      const naming = rename
        ? sql`, name = ${rename.name.name}, description = ${rename.name.description || null}, tags = ${textArray(rename.name.tags)},
              primary_category = ${rename.name.primaryCategory}, name_source = ${rename.nameSource}`
        : sql``;
      await tx.execute(
        sql`update albums set centroid = ${realArray(cluster.centroid)}, signature = ${cluster.signature}, updated_at = now() ${naming}
            where id = ${album.id}::uuid`,
      );
      for (let i = 0; i < remove.length; i += BATCH) {
        await tx.execute(sql`delete from album_photos where album_id = ${album.id}::uuid and photo_id = any(${uuidArray(remove.slice(i, i + BATCH))})`);
      }
      await insertMembers(tx, album.id, add);
      for (const id of [...add, ...remove]) affected.add(id);
      if (rename && rename.name.name !== album.name) for (const id of [...album.members, ...cluster.members]) affected.add(id);
    }

    for (const create of plan.creates) {
      const { cluster, name, nameSource } = create;
      const [row] = await rows<{ id: string }>(
        tx,
        sql`insert into albums (owner_id, name, description, kind, status, tags, primary_category, name_source, centroid, signature)
            values (${lib.ownerId}::uuid, ${name.name}, ${name.description || null}, 'auto', 'active', ${textArray(name.tags)},
                    ${name.primaryCategory}, ${nameSource}, ${realArray(cluster.centroid)}, ${cluster.signature})
            returning id`,
      );
      createdIds[create.index] = row!.id;
      await insertMembers(tx, row!.id, cluster.members);
      for (const id of cluster.members) affected.add(id);
    }

    const value = { ...meta, regeneratedAt: new Date().toISOString() };
    await tx.execute(
      sql`insert into library_meta (key, value) values (${metaKey(lib)}, ${JSON.stringify(value)}::jsonb)
          on conflict (key) do update set value = excluded.value, updated_at = now()`,
    );
    return false;
  });
  return stale ? 'stale' : { affected, createdIds };
}

async function insertMembers(db: Db, albumId: string, photoIds: readonly string[]): Promise<void> {
  for (let i = 0; i < photoIds.length; i += BATCH) {
    await db.execute(
      sql`insert into album_photos (album_id, photo_id)
          select ${albumId}::uuid, unnest(${uuidArray(photoIds.slice(i, i + BATCH))})
          on conflict do nothing`,
    );
  }
}

function realArray(values: Float32Array): SQL {
  return sql.raw(`'{${Array.from(values, (v) => (Number.isFinite(v) ? v : 0)).join(',')}}'::real[]`);
}
