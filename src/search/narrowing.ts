import { sql, type SQL } from 'drizzle-orm';

/**
 * A filter that keeps at most this many photos is searched photo by photo: both arms start from the kept
 * photos (an exact vector scan, a full-text check per row) instead of from their indexes, which would have to
 * walk past most of the library to find enough of them (bench/README.md).
 */
export const FEW_PHOTOS = 5000;

/**
 * CTEs `kept` (the photos the filter keeps, at most FEW_PHOTOS + 1 of them: the count is bounded) and `few`
 * (whether that is all of them). Only for filters that narrow beyond the owner.
 */
export function keptPhotos(filter: SQL): SQL {
  return sql`
    kept as materialized (select p.id from photos p where ${filter} limit ${FEW_PHOTOS + 1}),
    few as materialized (select count(*) <= ${FEW_PHOTOS} as yes from kept)`;
}

/**
 * Both ways to the same rows, each gated by a one-time condition so that only one runs: `fromKept` reads the
 * kept photos, `fromIndex` the index with the filter checked per row. Without a filter, `fromIndex` alone.
 */
export function eitherWay(narrowed: boolean, fromKept: SQL, fromIndex: (gate: SQL) => SQL): SQL {
  if (!narrowed) return fromIndex(sql``);
  return sql`(${fromKept}) union all (${fromIndex(sql`not (select yes from few) and`)})`;
}

/** The gate of `fromKept`: put first in its WHERE. */
export const WHEN_FEW = sql`(select yes from few)`;
