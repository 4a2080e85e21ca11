import { sql, type SQL } from 'drizzle-orm';
import { uuidArray } from '../db/arrays.js';
import { vectorParam } from '../db/vector-values.js';
import { eitherWay, WHEN_FEW } from './narrowing.js';
import { othersHavePhotosSql, ownsSql } from '../scope/rows.js';

export interface NearestScan {
  embedding: Float32Array;
  /** The filters as a condition on `p` (photos), see filters.ts. */
  filter: SQL;
  limit: number;
  /** Only embeddings of this model version are compared. */
  model?: string | null;
  /** Photos left out (the photo searched from). */
  exclude?: readonly string[];
  /**
   * The owner the filter keeps, when it keeps nothing else (no filter, own scope): lets the scan skip the per-row
   * check on photos while the library holds no one else's photos (see `libraryOnly`).
   */
  ownerId?: string;
}

/**
 * The check that a candidate is one of the owner's live photos, for an unfiltered scan. While nobody else has
 * photos here (two probes at the ends of the owner index, once per statement), it is "not in the trash": one
 * hash table of the owner's few trashed ids, built once. Otherwise the per-row EXISTS on photos, an index probe
 * and a heap fetch for every candidate (~2.5 of ~10 ms at 100k photos). `offset 0` keeps that EXISTS as it is
 * written: the planner would turn it into a hash of all the owner's photos, sized (and cleared) at every
 * statement's start even when never used (+4 ms).
 */
function libraryOnly(ownerId: string, filter: SQL): SQL {
  return sql`case
      when ${othersHavePhotosSql(ownerId)}
        then exists (select 1 from photos p where p.id = e.photo_id and ${filter} offset 0)
      else e.photo_id not in (select t.id from photos t where ${ownsSql(ownerId, 't')} and t.deleted_at is not null)
    end`;
}

/**
 * A CTE `<name>` (photo_id, distance): the photos nearest to the embedding, by cosine distance.
 *
 * Without a filter (or with one that keeps many photos) the scan is the HNSW index's; the filter is an EXISTS on
 * photos so that the ORDER BY … LIMIT stays on photo_embeddings alone, where the index serves it (a join let the
 * planner sort the whole table), and `hnsw.iterative_scan` keeps it going while the filter rejects rows. When
 * the filter keeps few photos, those are ranked exactly.
 */
export function nearestScan(name: string, scan: NearestScan): SQL {
  const vector = vectorParam(scan.embedding);
  const model = scan.model ? sql`and e.model = ${scan.model}` : sql``;
  const exclude = scan.exclude?.length ? sql`and e.photo_id <> all(${uuidArray(scan.exclude)})` : sql``;
  const exact = sql`
      select e.photo_id, e.embedding <=> ${vector} as distance
      from kept k join photo_embeddings e on e.photo_id = k.id
      where ${WHEN_FEW} ${model} ${exclude}
      order by 2 limit ${scan.limit}`;
  // `order by 2` is the index's `embedding <=> vector` (a float8 already): one vector parameter, sent once
  const live = scan.ownerId ? libraryOnly(scan.ownerId, scan.filter) : sql`exists (select 1 from photos p where p.id = e.photo_id and ${scan.filter})`;
  const graph = (gate: SQL) => sql`
      select e.photo_id, e.embedding <=> ${vector} as distance
      from photo_embeddings e
      where ${gate} ${live} ${model} ${exclude}
      order by 2
      limit ${scan.limit}`;
  return sql`${sql.identifier(name)} as materialized (${eitherWay(exact, graph)})`;
}
