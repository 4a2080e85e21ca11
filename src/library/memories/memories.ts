// The user's memories as the app reads them: listed best first (computed for the user's today when not yet), one
// with its items, hidden for good, or kept as an album.
import { asc, inArray, sql } from 'drizzle-orm';
import { UserError } from '../../base/errors.js';
import { uuidArray } from '../../db/arrays.js';
import { rows } from '../../db/connection.js';
import { photos } from '../../db/schema.js';
import { ownPhotoSql } from '../../scope/access.js';
import { ownsSql } from '../../scope/rows.js';
import { createAlbum } from '../albums/manual.js';
import type { AlbumSummary } from '../albums/summary.js';
import type { Library } from '../library.js';
import { listColumns, photoListItem } from '../photos/list.js';
import { computeMemoriesOnce } from './compute.js';
import type { MemoryKind } from './plan.js';
import { passMemoriesMark, readMemorySettings } from './settings.js';
import { photoOrderMark } from '../photos/timeline.js';
import { ownerChangedBetween } from '../photos/order-changes.js';
import { mayChange } from '../actors.js';

export interface MemorySummary {
  id: string;
  kind: MemoryKind;
  title: string;
  subtitle: string;
  from: string;
  to: string;
  count: number;
  coverId: string;
  /** The first items, best first (a card's strip). */
  previewIds: string[];
}

interface MemoryRow {
  id: string;
  kind: MemoryKind;
  key: string;
  title: string;
  subtitle: string;
  date_from: Date | string;
  date_to: Date | string;
  photo_ids: string[];
}

const day = (value: Date | string) => new Date(value).toISOString().slice(0, 10);

/** The memory's items still in the library (not trashed since), in its order. */
async function alive(lib: Library, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const found = await rows<{ id: string }>(
    lib.db,
    sql`select p.id from photos p where p.id = any(${uuidArray([...new Set(ids)])}) and p.deleted_at is null and ${ownPhotoSql(lib, 'p')}`,
  );
  return new Set(found.map((row) => row.id));
}

function summary(row: MemoryRow, ids: string[]): MemorySummary {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    subtitle: row.subtitle,
    from: day(row.date_from),
    to: day(row.date_to),
    count: ids.length,
    coverId: ids[0]!,
    previewIds: ids.slice(0, 6),
  };
}

/**
 * The memories for `today` (the user's date, YYYY-MM-DD). Not computed since the settings changed (or never):
 * computed now. Computed for another day (the periodic job runs on the server's date; a large library takes seconds,
 * bench/README.md), or before items were added, moved, re-dated or removed (the photo_order mark moved on): the last
 * ones are answered at once while new ones are computed in the background — at once when there were none, so that
 * the first photos of a library, or of this day in earlier years, do not wait for the next visit.
 */
export async function listMemories(lib: Library, today: string): Promise<{ items: MemorySummary[]; computedFor: string }> {
  const settings = await readMemorySettings(lib);
  if (settings.computedFor === null) {
    await computeMemoriesOnce(lib, today, true);
    return { items: await kept(lib, true), computedFor: today };
  }
  const since = settings.computedFor === today ? await itemsSince(lib, settings.computedMark) : 'changed';
  if (since === 'changed') {
    const last = await kept(lib, true);
    if (last.length > 0) {
      // one in flight for the day is shared (each visit would queue another while an import moves the mark)
      computeMemoriesOnce(lib, today).catch((error: unknown) => lib.logger.warn({ err: error }, 'computing memories failed'));
      return { items: last, computedFor: settings.computedFor };
    }
    await computeMemoriesOnce(lib, today);
  }
  // none of the user's items added, moved or removed since they were computed: every item is still there
  return { items: await kept(lib, since !== 'same'), computedFor: today };
}

/**
 * Whether the user's own items changed since the photo_order mark `mark`: 'same' when they did not (their memories'
 * items are all still there), 'unmarked' when there is no mark to tell (nothing is kept then). The mark is the
 * library's: another user's import moves it, but memories are made of the user's own items alone, so changes that
 * were none of theirs pass the mark on instead of computing them again (for nothing, and with their "today"
 * changing under them). An unknown mark: computed before marks were kept.
 */
async function itemsSince(lib: Library, mark: number | null): Promise<'same' | 'changed' | 'unmarked'> {
  const now = await photoOrderMark(lib);
  if (now === null) return 'unmarked';
  if (now === mark) return 'same';
  if (mark === null || (await ownerChangedBetween(lib.db, lib, mark, now))) return 'changed';
  await passMemoriesMark(lib, mark, now);
  return 'same';
}

/**
 * The memories as computed, best first; `check`: each with its items still in the library, those left with none
 * not shown. Unchecked, a memory's ids are not read beyond a card's strip: a large library keeps thousands of them.
 */
async function kept(lib: Library, check: boolean): Promise<MemorySummary[]> {
  const order = sql`order by m.rank desc, m.date_from desc`;
  if (!check) {
    const found = await rows<MemoryRow & { count: number }>(
      lib.db,
      sql`select m.id, m.kind, m.key, m.title, m.subtitle, m.date_from, m.date_to, m.photo_ids[1:6] as photo_ids,
            cardinality(m.photo_ids) as count from memories m where ${ownsSql(lib, 'm')} ${order}`,
    );
    return found.filter((row) => row.count > 0).map((row) => ({ ...summary(row, row.photo_ids), count: row.count }));
  }
  const found = await rows<MemoryRow>(
    lib.db,
    sql`select m.id, m.kind, m.key, m.title, m.subtitle, m.date_from, m.date_to, m.photo_ids from memories m where ${ownsSql(lib, 'm')} ${order}`,
  );
  const present = await alive(
    lib,
    found.flatMap((row) => row.photo_ids),
  );
  return found
    .map((row) => ({ row, ids: row.photo_ids.filter((id) => present.has(id)) }))
    .filter(({ ids }) => ids.length > 0)
    .map(({ row, ids }) => summary(row, ids));
}

async function requireMemory(lib: Library, id: string): Promise<MemoryRow> {
  const [row] = await rows<MemoryRow>(
    lib.db,
    sql`select m.id, m.kind, m.key, m.title, m.subtitle, m.date_from, m.date_to, m.photo_ids from memories m where m.id = ${id}::uuid and ${ownsSql(lib, 'm')}`,
  );
  if (!row) throw new UserError('not-found', `no memory with id ${id}`);
  return row;
}

/**
 * One memory with its items as lists show them, in the order they were taken: a trip or a day reads as it happened
 * (the best were chosen when it was computed; its cover and a card's strip stay best first).
 */
export async function getMemory(lib: Library, id: string) {
  const row = await requireMemory(lib, id);
  const kept = await alive(lib, row.photo_ids);
  const ids = row.photo_ids.filter((photoId) => kept.has(photoId));
  if (ids.length === 0) throw new UserError('not-found', `no memory with id ${id}`);
  const found = await lib.db.select(listColumns).from(photos).where(inArray(photos.id, ids)).orderBy(asc(photos.takenLocal), asc(photos.id));
  return { ...summary(row, ids), items: found.map((photo) => photoListItem(photo)) };
}

/** Hidden for good: gone now, and not made again when memories are computed. */
export async function hideMemory(lib: Library, id: string): Promise<void> {
  mayChange(lib);
  const row = await requireMemory(lib, id);
  await lib.db.transaction(async (tx) => {
    await tx.execute(sql`insert into hidden_memories (owner_id, key) values (${lib.ownerId}::uuid, ${row.key}) on conflict do nothing`);
    await tx.execute(sql`delete from memories m where m.id = ${id}::uuid and ${ownsSql(lib, 'm')}`);
  });
}

/** A new album of the memory's items, named after it unless a name is given. */
export async function memoryAsAlbum(lib: Library, id: string, name?: string): Promise<AlbumSummary> {
  const memory = await getMemory(lib, id);
  return createAlbum(lib, {
    name: name ?? `${memory.title}${memory.kind === 'on-this-day' ? `, ${memory.from}` : ''}`,
    photoIds: memory.items.map((item) => item.id),
  });
}

/** Every memory the user hid may come back: computed again next time. */
export async function showHiddenMemories(lib: Library): Promise<number> {
  mayChange(lib);
  const removed = await rows<{ key: string }>(lib.db, sql`delete from hidden_memories h where ${ownsSql(lib, 'h')} returning h.key`);
  // computed again when next asked for, and a computation running meanwhile does not count
  if (removed.length > 0)
    await lib.db.execute(sql`update memory_settings s set computed_for = null, updated_at = clock_timestamp() where ${ownsSql(lib, 's')}`);
  return removed.length;
}
