import fs from 'node:fs/promises';
import path from 'node:path';
import type { Settings } from '../config/settings.js';
import { UserError } from '../base/errors.js';
import type { Library } from '../library/library.js';
import { findSidecar } from '../media/xmp-sidecar.js';
import { isTerminal } from '../model/photo-state.js';
import type { ShoeboxClient } from './client.js';
import { createProgress } from './progress.js';
import { findServer } from './target.js';
import { forEachLimit } from '../base/concurrency.js';
import { withLibrary } from './listing.js';
import { listImportCandidates } from './walk.js';
import { kindOfStatus } from '../api/error-status.js';
import { serverAlbumCover, serverAlbums, serverArchive } from './album-placing.js';
import { photoOfFile, placeAsExported, readExport, type ExportRead, type PhotoOfFile } from './exported.js';
import { hasStackFacts, restoreStacks, serverStackHands, stackedPhotos, type StackHands } from './exported-stacks.js';
import { counted } from '../base/plural.js';

interface ImportFlags {
  wait?: boolean;
  server?: string;
}

interface Tally {
  added: string[];
  /** Each file taken, added or already there, and the photo it is. */
  photoOf: Map<string, string>;
  /** Of the added, how many are videos. */
  videos: number;
  /** Files whose bytes the library has already. */
  duplicates: string[];
  skipped: { file: string; reason: string }[];
  /** Sidecars that were not taken: without their photo, or refused (too large). */
  sidecars: { file: string; reason: string }[];
}

type AddOne = (file: string) => Promise<{ id: string; duplicate: boolean; type?: string; sidecarRefused?: string }>;

export async function runImport(dir: string, settings: Settings, flags: ImportFlags): Promise<void> {
  const root = path.resolve(dir);
  const stat = await fs.stat(root).catch(() => null);
  if (!stat?.isDirectory()) throw new Error(`${dir} is not a folder`);
  const candidates = await listImportCandidates(root);
  const orphans = candidates.orphanSidecars.map((file) => ({ file, reason: 'XMP sidecar without its photo beside it' }));
  // an export of Shoebox: its own files are read, not imported (./exported.ts), and its file times are the photos' dates
  const exported = await readExport(root);
  const files = exported ? candidates.files.filter((file) => !exported.own.has(file)) : candidates.files;
  const fileTime = (file: string) => exported?.fileTimes.get(file);
  const server = await findServer(settings, flags.server);
  if (server) {
    process.stderr.write(`Importing ${counted(files.length, 'file')} into the server at ${server.baseUrl}\n`);
    const tally = await addAll(files, 4, (file) => uploadOne(server, file, fileTime(file)), orphans);
    report(tally, root);
    if (exported) {
      const setEdit = async (id: string, edit: object) => void (await server.request('PUT', `/api/photos/${id}/edit`, edit));
      await placeAsExported(exported, tally, root, { album: serverAlbums(server), archive: serverArchive(server) }, setEdit, serverAlbumCover(server));
    }
    if (flags.wait) await waitRemote(server, tally.added);
    // the server stacks the photos by the rules as it processes them: the hand's changes go on once it has
    if (exported && hasStackFacts(exported)) {
      const photoOf = photoOfFile(tally.photoOf, root);
      await waitRemote(server, notWaited(stackedPhotos(exported, photoOf), flags.wait ? tally.added : []));
      await restoreStacks(exported, photoOf, serverStackHands(server));
    }
    return;
  }

  await withLibrary(settings, 'import', async (lib) => {
    const { ingestFile } = await import('../library/ingest/index.js');
    process.stderr.write(`Importing ${counted(files.length, 'file')} into ${settings.dataDir}\n`);
    if (flags.wait) await lib.startPipeline();
    const tally = await addAll(files, 2, (file) => ingestFile(lib, file, { modifiedAt: fileTime(file) }), orphans);
    report(tally, root);
    if (exported) {
      const [{ libraryTarget, setLibraryAlbumCover }, { setPhotoEdit }] = await Promise.all([
        import('../library/imports/index.js'),
        import('../library/photo-edit/index.js'),
      ]);
      await placeAsExported(
        exported,
        tally,
        root,
        libraryTarget(lib),
        async (id, edit) => void (await setPhotoEdit(lib, id, edit)),
        (title, id) => setLibraryAlbumCover(lib, title, id),
      );
    }
    if (flags.wait) await waitLocal(lib, tally.added);
    else if (tally.added.length > 0) {
      process.stderr.write('The new photos are processed when `shoebox serve` runs on this library (or import with --wait).\n');
    }
    if (exported && hasStackFacts(exported)) await restoreLocalStacks(lib, exported, photoOfFile(tally.photoOf, root), tally.added, flags.wait === true);
  });
}

/** The photos not yet waited on. */
function notWaited(ids: string[], waited: string[]): string[] {
  const seen = new Set(waited);
  return ids.filter((id) => !seen.has(id));
}

/**
 * The export's stacks by hand in the library, once its pipeline processed their photos (with --wait; without it
 * nothing processes them here, and the report says how to restore them: the same import again, with --wait).
 */
async function restoreLocalStacks(lib: Library, exported: ExportRead, photoOf: PhotoOfFile, added: string[], waiting: boolean) {
  if (!waiting) {
    process.stderr.write(
      'Stacks made or taken apart by hand and covers picked are restored once the photos are processed: import the folder again with --wait (nothing is added twice).\n',
    );
    return;
  }
  await waitLocal(lib, notWaited(stackedPhotos(exported, photoOf), added));
  const [stacks, { getPhotoDetail }] = await Promise.all([import('../library/stacks/index.js'), import('../library/photo-detail/index.js')]);
  const hands: StackHands = {
    async stackOf(photoId) {
      const stackId = (await getPhotoDetail(lib, photoId))?.stack?.id;
      const stack = stackId ? await stacks.getStack(lib, stackId) : null;
      return stack && { id: stack.id, photoIds: stack.members.map((member) => member.photo.id) };
    },
    stackTogether: async (photoIds) => void (await stacks.stackTogether(lib, photoIds)),
    unstack: async (stackId) => void (await stacks.unstack(lib, stackId)),
    moveOut: async (stackId, photoId) => void (await stacks.moveOutOfStack(lib, stackId, photoId)),
    setCover: async (stackId, photoId) => void (await stacks.setStackCover(lib, stackId, photoId)),
  };
  await restoreStacks(exported, photoOf, hands);
}

async function uploadOne(server: ShoeboxClient, file: string, modifiedAt?: Date) {
  const sidecar = await findSidecar(file);
  const [item, sidecarItem] = await server.upload(file, sidecar, modifiedAt ? { modifiedAt } : {});
  if (!item?.id) throw new UserError(kindOfStatus(item?.statusCode ?? 400) ?? 'invalid', item?.error ?? 'refused');
  return { id: item.id, duplicate: Boolean(item.duplicate), type: item.type, ...(sidecarItem?.error ? { sidecarRefused: sidecarItem.error } : {}) };
}

async function addAll(files: string[], concurrency: number, addOne: AddOne, orphans: Tally['sidecars']): Promise<Tally> {
  const tally: Tally = { added: [], photoOf: new Map(), videos: 0, duplicates: [], skipped: [], sidecars: [...orphans] };
  const progress = createProgress('import ', files.length);
  try {
    await forEachLimit(files, concurrency, async (file) => {
      try {
        const result = await addOne(file);
        tally.photoOf.set(file, result.id);
        if (result.duplicate) tally.duplicates.push(file);
        else {
          tally.added.push(result.id);
          if (result.type === 'video') tally.videos++;
        }
        if (result.sidecarRefused) tally.sidecars.push({ file, reason: result.sidecarRefused });
      } catch (error) {
        if (!(error instanceof UserError) && (error as NodeJS.ErrnoException).code === undefined) throw error;
        tally.skipped.push({ file, reason: error instanceof Error ? error.message : String(error) });
      }
      progress.tick();
    });
  } finally {
    progress.stop(); // its timer would keep the process alive after an error (a server that died mid-import)
  }
  return tally;
}

/** The outcome, then up to 50 names of each kind of file that was not added (relative to the folder). */
function report(tally: Tally, root: string): void {
  const name = (file: string) => path.relative(root, file) || file;
  const lines = [
    `Added ${tally.added.length}${tally.videos > 0 ? ` (${counted(tally.videos, 'video')})` : ''}, already in the library ${tally.duplicates.length}, skipped ${tally.skipped.length}` +
      (tally.sidecars.length > 0 ? `, sidecars not taken ${tally.sidecars.length}` : '') +
      '.',
  ];
  const list = (items: string[]) => {
    for (const item of items.slice(0, 50)) lines.push(item);
    if (items.length > 50) lines.push(`  … and ${items.length - 50} more`);
  };
  list(tally.duplicates.sort().map((file) => `  already in the library: ${name(file)}`));
  list(tally.skipped.map((skip) => `  skipped ${name(skip.file)}: ${skip.reason}`));
  list(tally.sidecars.map((sidecar) => `  sidecar not taken ${name(sidecar.file)}: ${sidecar.reason}`));
  process.stderr.write(`${lines.join('\n')}\n`);
}

/** How often the server is asked for its estimate while the states are read every half second. */
const ESTIMATE_EVERY_MS = 2000;

/**
 * Follows the photos until each is finished, with the time left as the jobs page and `shoebox jobs` say it (the
 * pipeline's estimate from each step's pace), not this process's count of finished photos, which come in bursts.
 */
/** What came of the photos waited on: each state's count, a Live Photo's video that joined its still, one deleted meanwhile. */
export function processedLine(outcome: Record<string, number>): string {
  const parts = Object.entries(outcome).map(([state, n]) => {
    if (state === 'joined') return n === 1 ? "1 Live Photo's video joined its still" : `${n} Live Photos' videos joined their stills`;
    if (state === 'deleted') return `${n} deleted meanwhile`;
    return `${n} ${state}`;
  });
  return `Processed: ${parts.join(', ')}.`;
}

type States = { states: Record<string, string>; joined?: Record<string, string> };

async function waitFor(ids: string[], statesOf: (ids: string[]) => Promise<States>, etaOf: () => Promise<number | null>): Promise<void> {
  if (ids.length === 0) return;
  const progress = createProgress('process', ids.length);
  let estimatedAt = 0;
  let pending = ids;
  const outcome: Record<string, number> = {};
  try {
    while (pending.length > 0) {
      const states: Record<string, string> = {};
      const joined: Record<string, string> = {};
      for (let i = 0; i < pending.length; i += 1000) {
        const found = await statesOf(pending.slice(i, i + 1000));
        Object.assign(states, found.states);
        Object.assign(joined, found.joined);
      }
      const still: string[] = [];
      for (const id of pending) {
        const state = states[id];
        if (state === undefined && joined[id]) outcome.joined = (outcome.joined ?? 0) + 1;
        else if (state === undefined) outcome.deleted = (outcome.deleted ?? 0) + 1;
        else if (isTerminal(state)) outcome[state] = (outcome[state] ?? 0) + 1;
        else still.push(id);
      }
      pending = still;
      if (pending.length === 0) progress.estimate(0);
      else if (Date.now() - estimatedAt >= ESTIMATE_EVERY_MS) {
        progress.estimate(await etaOf());
        estimatedAt = Date.now();
      }
      progress.set(ids.length - pending.length);
      if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    progress.stop();
  }
  process.stderr.write(`${processedLine(outcome)}\n`);
}

export function waitRemote(server: ShoeboxClient, ids: string[]) {
  return waitFor(
    ids,
    (chunk) => server.states(chunk),
    // a server from before the estimate answers without it: "estimating…"
    async () => (await server.jobs()).etaSeconds ?? null,
  );
}

export async function waitLocal(lib: Library, ids: string[]) {
  const [{ photoStates }, { jobsSnapshot }] = await Promise.all([import('../library/photos/index.js'), import('../library/jobs/index.js')]);
  return waitFor(
    ids,
    (chunk) => photoStates(lib, chunk),
    async () => (await jobsSnapshot(lib)).etaSeconds,
  );
}
