// Whether this library uses the creation tools (image generation, product shots, the catalogue): an admin's
// choice, asked at set-up, kept in library_meta 'creation-tools' so every server of a cluster follows it. A family's
// library never sees them: off, their pages and buttons are nowhere, their routes answer 404, and its items have no
// catalogue step (no row: the core learns it through Resources.stepsLeftOut, wired by app/open.ts).
import { and, eq, inArray, sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/connection.js';
import { libraryMeta, photos, photoSteps } from '../../db/schema.js';
import { UserError } from '../../base/errors.js';
import { keptOnce } from '../../base/kept-once.js';
import { TERMINAL_STATES, type StepsLeftOut } from '../../model/photo-state.js';
import { CREATION_OFF_MESSAGE } from '../../model/product-vocabulary.js';
import type { Library } from '../library.js';
import { queuePhotos } from '../photos/door.js';
import { dropStepsLeftOut } from '../photos/steps-left-out.js';

const KEY = 'creation-tools';

/**
 * Why a product's catalogue step did not run while the tools are off (an edit or a reprocess reopened it meanwhile);
 * switching them on runs those steps again.
 */
export const CREATION_OFF = 'the creation tools are off in this library';

/** Why the catalogue step has nothing to do for a photo. */
export const NOT_A_PRODUCT = 'not a product (product shots or POST /api/products make it one)';

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
  const on = row ? (row.value as { on: boolean }).on : await usedBeforeOnce(db);
  cache.set(db, { on, at: Date.now() });
  return on;
}

/**
 * Whether a library that never chose used them, asked once per process: the question reads every photo (nothing
 * indexes their origin: 1M rows at a million photos), and it was asked every 5 s while photos came in. Its answer
 * cannot change meanwhile (the tools' own routes are closed while it is false; choosing writes the row). Not stored:
 * a restore or migration into this database brings the library's own choice, which a stored guess would stand against.
 */
const usedBeforeAnswers = new WeakMap<Db, Promise<boolean>>();
const usedBeforeOnce = (db: Db): Promise<boolean> => keptOnce(usedBeforeAnswers, db, () => usedBefore(db));

async function usedBefore(db: Db): Promise<boolean> {
  const [found] = await rows<{ used: boolean }>(
    db,
    sql`select exists (select 1 from products) or exists (select 1 from generation_jobs) or exists (select 1 from photos where origin = 'generated') as used`,
  );
  return Boolean(found?.used);
}

/** The steps the library goes without now: the catalogue while the tools are off (Resources.stepsLeftOut). */
export async function stepsLeftOut(db: Db): Promise<StepsLeftOut> {
  return (await creationToolsOn(db)) ? {} : { catalogue: CREATION_OFF_MESSAGE };
}

/**
 * Switches the tools on or off for everyone, for the whole library. Off, the items' catalogue steps go, but the done
 * ones: what they made stays and is not made again. On, every item has its step again: a photo that is no product has
 * nothing to do (skipped at once, not queued), a product without fields, or whose step an edit reopened while they
 * were off, runs it.
 */
export async function setCreationTools(lib: Library, on: boolean): Promise<void> {
  await lib.db
    .insert(libraryMeta)
    .values({ key: KEY, value: { on } })
    .onConflictDoUpdate({ target: libraryMeta.key, set: { value: { on }, updatedAt: new Date() } });
  cache.set(lib.db, { on, at: Date.now() });
  if (!on) {
    await queuePhotos(lib, await dropStepsLeftOut(lib.db, ['catalogue']));
    return;
  }
  await lib.db.execute(sql`
    insert into photo_steps (photo_id, step, status, error, duration_ms, finished_at)
    select p.id, 'catalogue', 'skipped', ${NOT_A_PRODUCT}, 0, now() from photos p
    where not exists (select 1 from products pr where pr.photo_id = p.id)
    on conflict do nothing`);
  const added = await rows<{ photo_id: string }>(
    lib.db,
    sql`insert into photo_steps (photo_id, step) select pr.photo_id, 'catalogue' from products pr on conflict do nothing returning photo_id`,
  );
  const reopened = await lib.db
    .update(photoSteps)
    .set({ status: 'pending', error: null })
    .where(and(eq(photoSteps.step, 'catalogue'), eq(photoSteps.status, 'skipped'), eq(photoSteps.error, CREATION_OFF)))
    .returning({ photoId: photoSteps.photoId });
  const ids = [...added.map((row) => row.photo_id), ...reopened.map((row) => row.photoId)];
  await pendingAgain(lib.db, ids);
  await queuePhotos(lib, ids);
}

/** Items with a step to do again leave their finished state, so that they show as working and settle when it ends. */
async function pendingAgain(db: Db, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await db
      .update(photos)
      .set({ state: 'pending', updatedAt: new Date() })
      .where(and(inArray(photos.id, ids.slice(i, i + 500)), inArray(photos.state, [...TERMINAL_STATES])));
  }
}

/** Refuses a creation tool's request while the tools are off (a 404 that says how to switch them on). */
export async function requireCreationTools(db: Db): Promise<void> {
  if (!(await creationToolsOn(db))) throw new UserError('not-found', CREATION_OFF_MESSAGE);
}
export { CREATION_OFF_MESSAGE } from '../../model/product-vocabulary.js';
