// Runs an import sent from the web app on the server: the uploaded archives read as the CLI reads them
// (library/takeout/: one tree, planned, imported through the one door into the user's library), its progress
// recorded as it goes, then the report; the archives are deleted once it is done. An import is idempotent, so one a
// stop cut short is simply run again at start (resumeImports).
import fs from 'node:fs/promises';
import path from 'node:path';
import { errorMessage } from '../../media/decoders/common.js';
import { importsLeftImporting } from '../../scope/access.js';
import type { Library, Resources } from '../library.js';
import { asWork, forSystem } from '../actors.js';
import { openTakeout, type TakeoutFile } from '../takeout/archive.js';
import { planICloud } from '../takeout/icloud.js';
import { importTakeout, takeoutReport, type TakeoutOutcome } from '../takeout/import.js';
import { libraryTarget } from '../takeout/library-target.js';
import { planTakeout, type TakeoutPlan } from '../takeout/plan.js';
import { findImport, importFiles, recordImport, removeArchives, type ImportSource } from './sessions.js';
import { makeTempFolder } from '../../base/process-folders.js';

/** How often the progress is written while items go in. */
const PROGRESS_EVERY_MS = 1000;

/** The plan of an export of this kind. */
export function planExport(source: ImportSource, files: readonly TakeoutFile[]): Promise<TakeoutPlan> {
  return source === 'icloud' ? planICloud(files) : planTakeout(files);
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
const running = new Map<string, Promise<void>>();

/**
 * Starts the import's run in the background (once), on these archives; its end is recorded on the import. It runs as
 * the named work `import` in the owner's library, as a resumed one does: what the archive holds (albums, favourites,
 * the trash) is part of an import its uploader was allowed to start.
 */
export function runImportInBackground(lib: Library, id: string, files: readonly ImportArchive[]): Promise<void> {
  let run = running.get(id);
  if (!run) {
    run = runImport(asWork(lib, 'import'), id, files)
      .catch((error: unknown) => lib.logger.error({ err: error, importId: id }, 'import failed'))
      .finally(() => running.delete(id));
    running.set(id, run);
  }
  return run;
}

type ImportArchive = Awaited<ReturnType<typeof importFiles>>[number];

async function runImport(lib: Library, id: string, files: readonly ImportArchive[]): Promise<void> {
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
      const plan = await planExport(row.source as ImportSource, source.files);
      let done = 0;
      let written = 0;
      await recordImport(lib, id, { progress: { done: 0, total: plan.items.length } });
      const outcome = await importTakeout(plan, libraryTarget(lib), {
        concurrency: 2,
        onItem: () => {
          done++;
          if (Date.now() - written < PROGRESS_EVERY_MS) return;
          written = Date.now();
          void recordImport(lib, id, { progress: { done, total: plan.items.length } }).catch(() => undefined);
        },
      });
      const report = takeoutReport(plan, outcome, source.refused).replaceAll(`${named}${path.sep}`, '');
      await recordImport(lib, id, {
        status: 'done',
        progress: { done: plan.items.length, total: plan.items.length },
        outcome: counts(outcome),
        report,
        finishedAt: new Date(),
      });
    } finally {
      source.close();
    }
    await removeArchives(lib, id);
  } catch (error) {
    // the archives stay: the import can be started again (what went in is not added twice)
    await recordImport(lib, id, { status: 'failed', error: errorMessage(error), finishedAt: new Date() });
    throw error;
  } finally {
    await fs.rm(named, { recursive: true, force: true });
  }
}

/**
 * Runs again the imports a stop left importing whose archives are on this server (each as its owner). Without a
 * cluster, one whose archives are gone has failed: it says so (and may be removed) instead of staying importing.
 */
export async function resumeImports(context: Resources): Promise<number> {
  let resumed = 0;
  for (const { id, owner } of await importsLeftImporting(context.db)) {
    const lib = forSystem(context, owner, 'import');
    const files = await importFiles(context, id);
    if (files.length > 0) {
      void runImportInBackground(lib, id, files);
      resumed++;
    } else if (context.database.kind === 'embedded') {
      await recordImport(lib, id, { status: 'failed', error: 'its archives are gone: upload them again into a new import', finishedAt: new Date() });
    }
  }
  return resumed;
}

/** Waits for the imports running in this process (a server stopping, a test). */
export async function importsSettled(): Promise<void> {
  await Promise.allSettled([...running.values()]);
}
