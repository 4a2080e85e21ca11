// How a user wants memories: the kinds they turned off, and home when they set it.
import { sql } from 'drizzle-orm';
import { textArray } from '../../db/arrays.js';
import { rows } from '../../db/connection.js';
import { ownsSql } from '../../scope/rows.js';
import type { Library } from '../library.js';
import type { MemoryKind, Position } from './plan.js';
import { mayChange } from '../actors.js';

export interface MemorySettings {
  kindsOff: MemoryKind[];
  /** Set by the user; null: learned from where most items are taken. */
  home: Position | null;
  /** The day the memories were last computed for (null: never, or the settings changed since). */
  computedFor: string | null;
  /** The photo_order mark read as they were computed (null: unknown): a change to the items since makes them stale. */
  computedMark: number | null;
  /** When the settings last changed (null: never set): a computation started before a change does not count. */
  updatedAt: string | null;
}

export async function readMemorySettings(lib: Library): Promise<MemorySettings> {
  const [row] = await rows<{
    kinds_off: MemoryKind[];
    home_latitude: number | null;
    home_longitude: number | null;
    computed_for: string | null;
    computed_mark: string | number | null;
    updated_at: string;
  }>(
    lib.db,
    sql`select s.kinds_off, s.home_latitude, s.home_longitude, s.computed_for, s.computed_mark, s.updated_at::text as updated_at from memory_settings s where ${ownsSql(lib, 's')}`,
  );
  if (!row) return { kindsOff: [], home: null, computedFor: null, computedMark: null, updatedAt: null };
  const home = row.home_latitude !== null && row.home_longitude !== null ? { latitude: row.home_latitude, longitude: row.home_longitude } : null;
  const computedMark = row.computed_mark === null ? null : Number(row.computed_mark);
  return { kindsOff: row.kinds_off, home, computedFor: row.computed_for, computedMark, updatedAt: row.updated_at };
}

/**
 * Changes the settings given (`home: null` goes back to the learned home), in one statement; the memories are
 * computed again when next asked for (`computed_for` cleared, `updated_at` moved on).
 */
export async function writeMemorySettings(lib: Library, changes: { kindsOff?: MemoryKind[]; home?: Position | null }): Promise<void> {
  mayChange(lib);
  const kinds = changes.kindsOff ? sql`${textArray(changes.kindsOff)}` : sql`null::text[]`;
  const setHome = changes.home !== undefined;
  await lib.db.execute(sql`insert into memory_settings (owner_id, kinds_off, home_latitude, home_longitude, computed_for, updated_at)
    values (${lib.ownerId}::uuid, coalesce(${kinds}, '{}'::text[]), ${changes.home?.latitude ?? null}::float8, ${changes.home?.longitude ?? null}::float8, null, clock_timestamp())
    on conflict (owner_id) do update set kinds_off = coalesce(${kinds}, memory_settings.kinds_off),
      home_latitude = case when ${setHome}::boolean then excluded.home_latitude else memory_settings.home_latitude end,
      home_longitude = case when ${setHome}::boolean then excluded.home_longitude else memory_settings.home_longitude end,
      computed_for = null, updated_at = clock_timestamp()`);
}

/**
 * Marks the memories computed for `today` from the items as they were at photo_order `mark`, unless the settings
 * changed since `updatedAt` (then the next request computes them again with the new ones).
 */
export async function markMemoriesComputed(lib: Library, today: string, updatedAt: string | null, mark: number | null): Promise<void> {
  if (updatedAt === null) {
    await lib.db.execute(
      sql`insert into memory_settings (owner_id, computed_for, computed_mark) values (${lib.ownerId}::uuid, ${today}, ${mark}::bigint) on conflict do nothing`,
    );
  } else {
    await lib.db.execute(
      sql`update memory_settings s set computed_for = ${today}, computed_mark = ${mark}::bigint where ${ownsSql(lib, 's')} and s.updated_at::text = ${updatedAt}`,
    );
  }
}

/**
 * Moves the mark the memories were computed at on to `mark`, when the changes since were none of the owner's: unless
 * a computation or a settings change moved it meanwhile (then it says what it says).
 */
export async function passMemoriesMark(lib: Library, from: number, mark: number): Promise<void> {
  await lib.db.execute(sql`update memory_settings s set computed_mark = ${mark}::bigint where ${ownsSql(lib, 's')} and s.computed_mark = ${from}::bigint`);
}
