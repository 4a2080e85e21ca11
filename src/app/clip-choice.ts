// Which CLIP model the library uses when an admin chose one in the web app (Settings → Models): kept in the
// database (library_meta 'clip-model') so that every process of a cluster uses the same one. Each process reads it
// when it opens the library and looks again every CHECK_MS; on a change it switches and reopens the steps the old
// model made (embeddings, tags and what reads them), as a restart with another SHOEBOX_CLIP_MODEL does. That
// setting pins the model: a choice is then refused, and one stored before is not used.
import { eq } from 'drizzle-orm';
import { UserError } from '../base/errors.js';
import type { Db } from '../db/connection.js';
import { libraryMeta } from '../db/schema.js';
import type { Resources } from '../library/library.js';
import { getModelSpec, installedClip, MODELS } from '../ml/model-catalogue.js';
import { isInstalled } from '../ml/registry.js';
import { stepsForNewModel } from './model-arrived.js';

const KEY = 'clip-model';
/** How often a process looks for a choice made elsewhere (another server of the cluster). */
const CHECK_MS = 15_000;
/** Steps that were running with the old model when it changed record its version: looked for again after this. */
const SETTLE_MS = 30_000;

type Context = Pick<Resources, 'db' | 'ml' | 'queue' | 'logger' | 'settings' | 'stepsLeftOut'>;

export async function readClipChoice(db: Db): Promise<string | null> {
  const [row] = await db.select().from(libraryMeta).where(eq(libraryMeta.key, KEY));
  const value = row?.value as { name?: unknown } | undefined;
  return typeof value?.name === 'string' ? value.name : null;
}

/** Makes `name` the library's CLIP model (an admin's choice); returns how many photos have steps to redo. */
export async function chooseClipModel(lib: Context, name: string): Promise<number> {
  const spec = getModelSpec(name); // unknown: UnknownModelError
  if (spec.kind !== 'clip') throw new UserError('invalid', `${name} is not a CLIP model`);
  if (lib.settings.ml.clipModelPinned) {
    throw new UserError('conflict', `the CLIP model is set by SHOEBOX_CLIP_MODEL (${lib.settings.ml.clipModel}): change it there, or unset it to choose here`);
  }
  if (!(await isInstalled(lib.settings.dataDir, name))) throw new UserError('conflict', `${name} is not installed: install it first`);
  await lib.db
    .insert(libraryMeta)
    .values({ key: KEY, value: { name } })
    .onConflictDoUpdate({ target: libraryMeta.key, set: { value: { name }, updatedAt: new Date() } });
  return switchTo(lib, name);
}

/**
 * A model that just arrived (Settings → Models, the set-up, the gallery's offer) becomes the library's CLIP model
 * when the one in use is missing and nothing pins it: the admin asked for smart search, not for a second step.
 */
export async function adoptArrivedClip(lib: Context, name: string): Promise<void> {
  if (getModelSpec(name).kind !== 'clip' || lib.settings.ml.clipModelPinned || name === lib.ml.clipModelName) return;
  if (await isInstalled(lib.settings.dataDir, lib.ml.clipModelName)) return;
  await chooseClipModel(lib, name);
}

/** The catalogue's CLIP models installed in this process's data folder. */
async function installedClips(dataDir: string): Promise<string[]> {
  const clips = MODELS.filter((m) => m.kind === 'clip');
  const here = await Promise.all(clips.map((m) => isInstalled(dataDir, m.name)));
  return clips.filter((_, i) => here[i]).map((m) => m.name);
}

/** Whether this process has the model; says so in its log when not (a worker whose data folder lacks it). */
async function installedHere(lib: Context, name: string): Promise<boolean> {
  if (await isInstalled(lib.settings.dataDir, name)) return true;
  lib.logger.error(
    { model: name, using: lib.ml.clipModelName },
    `the chosen CLIP model is not installed here: run shoebox models pull ${name} on this machine`,
  );
  return false;
}

/** Re-reconciles scheduled per process (by its ML services), cleared when it closes the library. */
const settling = new WeakMap<object, Set<NodeJS.Timeout>>();

/**
 * Uses the model in this process and reopens what the previous one made; a no-op when it is the one in use. A
 * model this process does not have (a worker whose data folder lacks it) is not switched to: its steps would be
 * skipped here while other processes make them.
 */
async function switchTo(lib: Context, name: string): Promise<number> {
  if (name === lib.ml.clipModelName || !(await installedHere(lib, name))) return 0;
  const previous = lib.ml.clipModelName;
  lib.ml.useClipModel(name);
  lib.logger.info({ from: previous, to: name }, 'CLIP model changed: its photos are analysed again');
  const reopened = await stepsForNewModel(lib);
  const timers = settling.get(lib.ml) ?? new Set<NodeJS.Timeout>();
  settling.set(lib.ml, timers);
  const timer = setTimeout(() => {
    timers.delete(timer);
    void stepsForNewModel(lib).catch(() => undefined);
  }, SETTLE_MS);
  timer.unref();
  timers.add(timer);
  return reopened;
}

/**
 * At open: the stored choice, unless SHOEBOX_CLIP_MODEL pins the model; with none stored, the configured model or,
 * missing, one that is installed (`shoebox models pull` of another). Then watches for a change.
 */
export async function followClipChoice(lib: Context): Promise<{ stop(): void }> {
  if (lib.settings.ml.clipModelPinned) return { stop() {} };
  const chosen = (await readClipChoice(lib.db)) ?? installedClip(lib.ml.clipModelName, await installedClips(lib.settings.dataDir));
  // at open nothing was made with the model in use yet: no steps to reopen here (the pipeline's start reconciles)
  if (chosen && chosen !== lib.ml.clipModelName && (await installedHere(lib, chosen))) lib.ml.useClipModel(chosen);
  const timer = setInterval(() => {
    const before = lib.ml.clipModelName;
    void readClipChoice(lib.db)
      // a choice made in this process while the row was read is newer than what was read
      .then((name) => (name && lib.ml.clipModelName === before ? switchTo(lib, name) : 0))
      .catch((error: unknown) => lib.logger.warn({ err: error }, 'reading the chosen CLIP model failed'));
  }, CHECK_MS);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      for (const pending of settling.get(lib.ml) ?? []) clearTimeout(pending);
      settling.delete(lib.ml);
    },
  };
}
