// How a user wants memories: the kinds they turned off, and home when they set it.
import { sql } from 'drizzle-orm';
import { rows } from '../../db/connection.js';
import { ownRowSql, ownRowValues } from '../access.js';
import type { Library } from '../library.js';
import type { MemoryKind, Position } from './plan.js';

export interface MemorySettings {
  kindsOff: MemoryKind[];
  /** Set by the user; null: learned from where most items are taken. */
  home: Position | null;
  /** The day the memories were last computed for (null: never). */
  computedFor: string | null;
}

export async function readMemorySettings(lib: Library): Promise<MemorySettings> {
  const [row] = await rows<{ kinds_off: MemoryKind[]; home_latitude: number | null; home_longitude: number | null; computed_for: string | null }>(
    lib.db,
    sql`select s.kinds_off, s.home_latitude, s.home_longitude, s.computed_for from memory_settings s where ${ownRowSql(lib, 's')}`,
  );
  if (!row) return { kindsOff: [], home: null, computedFor: null };
  const home = row.home_latitude !== null && row.home_longitude !== null ? { latitude: row.home_latitude, longitude: row.home_longitude } : null;
  return { kindsOff: row.kinds_off, home, computedFor: row.computed_for };
}

/**
 * Changes the settings given (`home: null` goes back to the learned home); a change of kinds or home has the
 * memories computed again when next asked for (`computedFor` cleared), as does `computedFor` itself.
 */
export async function writeMemorySettings(
  lib: Library,
  changes: { kindsOff?: MemoryKind[]; home?: Position | null; computedFor?: string | null },
): Promise<MemorySettings> {
  const current = await readMemorySettings(lib);
  const next: MemorySettings = {
    kindsOff: changes.kindsOff ?? current.kindsOff,
    home: changes.home === undefined ? current.home : changes.home,
    computedFor: changes.computedFor === undefined ? null : changes.computedFor,
  };
  const owner = ownRowValues(lib);
  const kinds = sql`${`{${next.kindsOff.join(',')}}`}::text[]`;
  await lib.db.execute(sql`insert into memory_settings (${owner.column}, kinds_off, home_latitude, home_longitude, computed_for, updated_at)
    values (${owner.value}, ${kinds}, ${next.home?.latitude ?? null}::float8, ${next.home?.longitude ?? null}::float8, ${next.computedFor}, now())
    on conflict (${owner.column}) do update set kinds_off = excluded.kinds_off, home_latitude = excluded.home_latitude,
      home_longitude = excluded.home_longitude, computed_for = excluded.computed_for, updated_at = now()`);
  return next;
}
