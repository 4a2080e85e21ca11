// Runs an import sent from the web app on the server: the uploaded archives read as the CLI reads them
// (library/takeout/: one tree, planned, imported through the one door into the user's library), its progress
// recorded as it goes, then the report; the archives are deleted once it is done. An import is idempotent, so one a
// stop cut short is simply run again at start (resumeImports) — unless it crashed the server twice at the same place
// (./stops.ts). A run stops between items when its import is removed, and when the server stops (in order: the
// next start counts no crash).
import fs from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { uuidArray } from '../../db/arrays.js';
import { rows } from '../../db/connection.js';
import type { ImportStops } from '../../db/schema.js';
import type { Library, Resources } from '../library.js';
import { asWork, forSystem, mayChange } from '../actors.js';
import { openTakeout, type TakeoutFile } from '../takeout/archive.js';
import { planICloud } from '../takeout/icloud.js';
import { failureReason, importTakeout, takeoutReport, type TakeoutOutcome } from '../takeout/import.js';
import { libraryTarget } from './library-target.js';
import { planTakeout, type TakeoutPlan } from '../takeout/plan.js';
import { findImport, importFiles, recordImport, removeArchives, removeImport, type ImportSource } from './sessions.js';
import { afterStop } from './stops.js';
import { makeTempFolder } from '../../base/process-folders.js';

/** Items one run imports side by side. */
const CONCURRENCY = 2;
/** How long a removal or the server's stop waits for a run to end (an item under way finishes first). */
const STOP_WAIT_MS = 3000;

/** The plan of an export of this kind. */
export function planExport(source: ImportSource, files: readonly TakeoutFile[], signal?: AbortSignal): Promise<TakeoutPlan> {
  return source === 'icloud' ? planICloud(files, { signal }) : planTakeout(files, { signal });
}

/** The counts of an outcome (its lists are in the report). */
function counts(outcome: TakeoutOutcome): Record<string, number> {
  return {
    added: outcome.added.length,
    videos: outcome.videos,
    alreadyThere: outcome.alreadyThere,
    copies: outcome.copies,
    failed: outcome.failed.length,
    favourites: outcome.favourites,
    trashed: outcome.trashed,
    archived: outcome.archived,
    albums: outcome.albums.length,
    withPeople: outcome.withPeople,
  };
}

/** Imports running in this process, by id: one run of an import at a time. */
const running = new Map<string, { done: Promise<void>; controller: AbortController }>();

/** Why a run was stopped (the signal's reason): its import removed, or the server stopping. */
class RunStopped extends Error {
  constructor(readonly removed: boolean) {
    super(removed ? 'the import was removed' : 'the server is stopping');
  }
}

/**
 * Starts the import's run in the background (once), on these archives; its end is recorded on the import. It runs as
 * the named work `import` in the owner's library, as a resumed one does: what the archive holds (albums, favourites,
 * the trash) is part of an import its uploader was allowed to start.
 */
export function runImportInBackground(lib: Library, id: string, files: readonly ImportArchive[]): Promise<void> {
  let run = running.get(id);
  if (!run) {
    const controller = new AbortController();
    const done = runImport(asWork(lib, 'import'), id, files, controller)
      .catch((error: unknown) => lib.logger.error({ err: error, importId: id }, 'import failed'))
      .finally(() => running.delete(id));
    run = { done, controller };
    running.set(id, run);
  }
  return run.done;
}

type ImportArchive = Awaited<ReturnType<typeof importFiles>>[number];

async function runImport(lib: Library, id: string, files: readonly ImportArchive[], controller: AbortController): Promise<void> {
  const { signal } = controller;
  const row = await findImport(lib, id);
  // the archives under the names they were uploaded with: the report names them as the user knows them
  const named = await makeTempFolder('import');
  try {
    const taken = new Set<string>();
    const paths: string[] = [];
    for (const file of files) {
      let name = path.basename(file.name.replace(/\\/gu, '/')).replace(/[\u0000-\u001f]/gu, '_') || 'archive.zip';
      for (let n = 1; taken.has(name.toLowerCase()); n++) name = `${n}-${path.basename(file.name)}`;
      taken.add(name.toLowerCase());
      await fs.symlink(file.path, path.join(named, name));
      paths.push(path.join(named, name));
    }
    const source = await openTakeout(paths);
    try {
      const plan = await planExport(row.source as ImportSource, source.files, signal);
      const total = plan.items.length;
      let recorded = 0;
      if (!(await recordImport(lib, id, { progress: { done: 0, total } }))) controller.abort(new RunStopped(true));
      const outcome = await importTakeout(plan, libraryTarget(lib, { since: row.createdAt }), {
        concurrency: CONCURRENCY,
        signal,
        // written as soon as it moves, before the slot goes on: where a crash leaves the import is exact (./stops.ts);
        // a write that finds the import gone (removed, on another server too) stops the run
        onItem: async (settled) => {
          if (settled === recorded) return;
          recorded = settled;
          const there = await recordImport(lib, id, { progress: { done: settled, total } }).catch(() => true);
          if (!there) controller.abort(new RunStopped(true));
        },
      });
      const report = takeoutReport(plan, outcome, source.refused).replaceAll(`${named}${path.sep}`, '');
      await recordImport(lib, id, { status: 'done', progress: { done: total, total }, outcome: counts(outcome), report, finishedAt: new Date() });
    } finally {
      source.close();
    }
    await removeArchives(lib, id);
  } catch (error) {
    if (signal.aborted) {
      // a removed import's archives go (a removal on another server found none here); a server stopping keeps them
      if (signal.reason instanceof RunStopped && signal.reason.removed) await removeArchives(lib, id);
      return;
    }
    // the archives stay: the import can be started again (what went in is not added twice)
    await recordImport(lib, id, { status: 'failed', error: failureReason(error).replaceAll(`${named}${path.sep}`, ''), finishedAt: new Date() });
    throw error;
  } finally {
    await fs.rm(named, { recursive: true, force: true });
  }
}

/** Stops this process's run of the import, if there is one, and waits a while for it to end. */
async function stopRun(id: string, reason: RunStopped): Promise<void> {
  const run = running.get(id);
  if (!run) return;
  run.controller.abort(reason);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([run.done, new Promise((resolve) => (timer = setTimeout(resolve, STOP_WAIT_MS)))]);
  clearTimeout(timer);
}

/**
 * Removes an import in any state, with its archives: a run of it here stops first; a run on another server stops at
 * its next item, finding it gone.
 */
export async function deleteImport(lib: Library, id: string): Promise<void> {
  mayChange(lib, 'upload');
  await findImport(lib, id);
  await stopRun(id, new RunStopped(true));
  await removeImport(lib, id);
}

/** Imports a stop left importing, each with its owner, progress and stops: started again (an import is idempotent). */
async function importsLeftImporting(
  db: Resources['db'],
): Promise<{ id: string; owner: string; progress: { done: number; total: number } | null; stops: ImportStops | null }[]> {
  return rows(db, sql`select id, owner_id as owner, progress, stops from imports where status = 'importing' order by created_at`);
}

/** Marks imports this server stopped in order at its own stop (whoever owns them): their next start counts no crash. */
export async function markImportsStoppedInOrder(db: Resources['db'], ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await rows(
    db,
    sql`update imports set stops = coalesce(stops, jsonb_build_object('done', 0, 'total', 0, 'crashes', 0)) || '{"orderly": true}'::jsonb
        where id = any(${uuidArray(ids)}) and status = 'importing'`,
  );
}

/** Stops the imports running in this process (the server stopping): they stay importing, to run again at the next start. */
export async function stopImports(context: Pick<Resources, 'db'>): Promise<void> {
  const ids = [...running.keys()];
  await Promise.all(ids.map((id) => stopRun(id, new RunStopped(false))));
  await markImportsStoppedInOrder(context.db, ids);
}

/**
 * Runs again the imports a stop left importing whose archives are on this server (each as its owner), unless one
 * crashed the server twice at the same place: that one has failed, saying where. Without a cluster, one whose
 * archives are gone has failed too: it says so (and may be removed) instead of staying importing.
 */
export async function resumeImports(context: Resources): Promise<number> {
  let resumed = 0;
  for (const { id, owner, progress, stops } of await importsLeftImporting(context.db)) {
    const lib = forSystem(context, owner, 'import');
    const files = await importFiles(context, id);
    if (files.length === 0) {
      if (context.database.kind === 'embedded') {
        await recordImport(lib, id, { status: 'failed', error: 'its archives are gone: upload them again into a new import', finishedAt: new Date() });
      }
      continue;
    }
    const next = afterStop(stops, progress ?? { done: 0, total: 0 }, CONCURRENCY);
    if (next.failure) {
      await recordImport(lib, id, { status: 'failed', stops: next.stops, error: next.failure, finishedAt: new Date() });
      context.logger.warn({ importId: id, stops: next.stops }, 'import not run again: it crashed the server twice at the same place');
      continue;
    }
    // the run starts over from its first item: its place is counted afresh (a crash before it records one is in reading)
    await recordImport(lib, id, { stops: next.stops, progress: { done: 0, total: 0 } });
    void runImportInBackground(lib, id, files);
    resumed++;
  }
  return resumed;
}

/** Waits for the imports running in this process (a server stopping, a test). */
export async function importsSettled(): Promise<void> {
  await Promise.all([...running.values()].map((run) => run.done));
}
