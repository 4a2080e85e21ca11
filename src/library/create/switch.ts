// Whether this library uses the creation tools (image generation, product shots, the catalogue): an admin's
// choice, asked at set-up, kept in library_meta 'creation-tools' so every server of a cluster follows it. A family's
// library never sees them: off, their pages, buttons and the catalogue step are nowhere and their routes answer 404.
import { and, eq, sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/connection.js';
import { libraryMeta, photoSteps } from '../../db/schema.js';
import { UserError } from '../../base/errors.js';
import { CREATION_OFF_MESSAGE } from '../../model/product-vocabulary.js';
import type { Library } from '../library.js';
import { queuePhotos } from '../photos/door.js';

const KEY = 'creation-tools';

/** Why the catalogue step did not run while the tools are off; switching them on runs those steps again. */
export const CREATION_OFF = 'the creation tools are off in this library';

/** What a library is for, as the set-up asks it: a family's photos, a shop's products, or both. */
export const LIBRARY_PURPOSES = ['family', 'products', 'both'] as const;
export type LibraryPurpose = (typeof LIBRARY_PURPOSES)[number];

export const creationForPurpose = (purpose: LibraryPurpose): boolean => purpose !== 'family';

const CACHE_MS = 5_000;
const cache = new WeakMap<Db, { on: boolean; at: number }>();

/**
 * Whether the tools are on. Unset (a library from before the choice existed), a library that already made images or
 * holds a catalogue keeps them; any other starts without them.
 */
export async function creationToolsOn(db: Db): Promise<boolean> {
  const kept = cache.get(db);
  if (kept && Date.now() - kept.at < CACHE_MS) return kept.on;
  const [row] = await db.select({ value: libraryMeta.value }).from(libraryMeta).where(eq(libraryMeta.key, KEY));
  const on = row ? (row.value as { on: boolean }).on : await usedBefore(db);
  cache.set(db, { on, at: Date.now() });
  return on;
}

async function usedBefore(db: Db): Promise<boolean> {
  const [found] = await rows<{ used: boolean }>(
    db,
    sql`select exists (select 1 from products) or exists (select 1 from generation_jobs) or exists (select 1 from photos where origin = 'generated') as used`,
  );
  return Boolean(found?.used);
}

/**
 * Switches the tools on or off for everyone. On again, the catalogue steps skipped while they were off run, so a
 * product's fields catch up.
 */
export async function setCreationTools(lib: Library, on: boolean): Promise<void> {
  await lib.db
    .insert(libraryMeta)
    .values({ key: KEY, value: { on } })
    .onConflictDoUpdate({ target: libraryMeta.key, set: { value: { on }, updatedAt: new Date() } });
  cache.set(lib.db, { on, at: Date.now() });
  if (!on) return;
  const reopened = await lib.db
    .update(photoSteps)
    .set({ status: 'pending', error: null })
    .where(and(eq(photoSteps.step, 'catalogue'), eq(photoSteps.status, 'skipped'), eq(photoSteps.error, CREATION_OFF)))
    .returning({ photoId: photoSteps.photoId });
  await queuePhotos(
    lib,
    reopened.map((row) => row.photoId),
  );
}

/** Refuses a creation tool's request while the tools are off (a 404 that says how to switch them on). */
export async function requireCreationTools(db: Db): Promise<void> {
  if (!(await creationToolsOn(db))) throw new UserError('not-found', CREATION_OFF_MESSAGE);
}
export { CREATION_OFF_MESSAGE } from '../../model/product-vocabulary.js';
