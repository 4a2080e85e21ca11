import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../db/connection.js';
import { othersHavePhotosSql } from '../scope/rows.js';

/**
 * A scope (with its filters) that keeps at most this many photos is searched photo by photo: both arms start from
 * the kept photos (an exact vector scan, a full-text check per row) instead of from their indexes, which would
 * have to walk past most of the library to find enough of them. The owner alone is such a scope: a small owner's
 * photos in a large library are as rare to the HNSW graph as any narrow filter's. The count is set by measurement
 * (DECISIONS.md, "Exact below a measured count").
 */
export const FEW_PHOTOS = 10_000;

/**
 * CTEs `kept` (the photos the scope and filters keep, at most FEW_PHOTOS + 1 of them: the count is bounded) and
 * `few` (whether that is all of them). `ownerAlone`: the scope is that owner's own photos with no filter that
 * narrows them much; while nobody else has photos here the graph holds theirs alone and its scan is the fast way
 * at any size, so neither the count nor the exact scan runs (a 5,000-photo household of one stays on the graph).
 */
export function keptPhotos(filter: SQL, ownerAlone?: string): SQL {
  const count = sql`(select count(*) <= ${FEW_PHOTOS} from kept)`;
  return sql`
    kept as materialized (select p.id from photos p where ${filter} limit ${FEW_PHOTOS + 1}),
    few as materialized (select ${ownerAlone ? sql`case when ${othersHavePhotosSql(ownerAlone)} then ${count} else false end` : count} as yes)`;
}

/**
 * Both ways to the same rows, each gated by a one-time condition so that only one runs: `fromKept` reads the
 * kept photos, `fromIndex` the index with the filter checked per row. The statement opens with keptPhotos' CTEs.
 */
export function eitherWay(fromKept: SQL, fromIndex: (gate: SQL) => SQL): SQL {
  return sql`(${fromKept}) union all (${fromIndex(sql`not (select yes from few) and`)})`;
}

/** The gate of `fromKept`: put first in its WHERE. */
export const WHEN_FEW = sql`(select yes from few)`;

/**
 * A statement of eitherWay's, run without parallel workers: the way not taken is gated off inside a
 * `Gather` whose workers PostgreSQL starts anyway, 175-195 ms under auto_explain at 200k on a busy 2-core host
 * (bench/README.md). One short transaction around it; PGlite has no workers, the setting changes nothing there.
 */
export function serialRows<T>(db: Db, query: SQL): Promise<T[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local max_parallel_workers_per_gather = 0`);
    return rows<T>(tx as unknown as Db, query);
  });
}
