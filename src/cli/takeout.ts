// `shoebox import --from google-takeout|icloud PATH…`: a Google Takeout or iCloud Photos export (its zips, in any order, or the folders they
// were extracted to) into a running server over HTTP, or into the library directly when none runs on it.
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Settings } from '../config/settings.js';
import { inBatches } from '../base/concurrency.js';
import { UserError } from '../base/errors.js';
import { importTakeout, openTakeout, planTakeout, takeoutReport, type TakeoutTarget } from '../library/takeout/index.js';
import { kindOfStatus } from '../api/error-status.js';
import type { ShoeboxClient } from './client.js';
import { ServerUnreachableError } from './server-fetch.js';
import { withLibrary } from './listing.js';
import { createProgress } from './progress.js';
import { findServer } from './target.js';
import { serverAlbums, serverArchive } from './album-placing.js';
import { makeTempFolder } from '../base/process-folders.js';
import { counted } from '../base/plural.js';

interface TakeoutFlags {
  server?: string;
  wait?: boolean;
  from: 'google-takeout' | 'icloud';
}

const BATCH = 1000;

/** Items go to the server as uploads (an entry of a zip is written to a temp file first, one at a time per slot). */
function serverTarget(client: ShoeboxClient, temp: string): TakeoutTarget {
  let next = 0;
  return {
    async add(name: string, stream: Readable, sidecarFile: string | null) {
      const dir = path.join(temp, String(next++));
      const file = path.join(dir, name);
      try {
        await mkdir(dir, { recursive: true });
        await pipeline(stream, createWriteStream(file));
        const [item] = await client.upload(file, sidecarFile, { sidecarName: `${name}.json`, fileDate: false });
        if (!item?.id) throw new UserError(kindOfStatus(item?.statusCode ?? 400) ?? 'invalid', item?.error ?? 'refused');
        // the server's answer does not say whether the sidecar was new to the photo
        return { id: item.id, duplicate: Boolean(item.duplicate), video: item.type === 'video', attached: false, ours: false };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    favorite: (ids) => inBatches(ids, BATCH, (batch) => client.request('PATCH', '/api/photos', { ids: batch, favorite: true })),
    archive: serverArchive(client),
    trash: (ids) => inBatches(ids, BATCH, (batch) => client.request('POST', '/api/photos/delete', { ids: batch })),
    album: serverAlbums(client),
    fatal: (error) => error instanceof ServerUnreachableError,
  };
}

export async function runTakeoutImport(paths: string[], settings: Settings, flags: TakeoutFlags): Promise<void> {
  const source = await openTakeout(paths);
  try {
    const plan = flags.from === 'icloud' ? await (await import('../library/takeout/index.js')).planICloud(source.files) : await planTakeout(source.files);
    const what = flags.from === 'icloud' ? 'an iCloud Photos export' : 'a Google Takeout export';
    if (plan.items.length === 0 && source.refused.length > 0 && source.files.length === 0) {
      throw new UserError('invalid', `nothing to import: ${source.refused.map((r) => `${r.label}: ${r.reason}`).join('; ')}`);
    }
    const server = await findServer(settings, flags.server);
    /** Runs the import behind a progress bar that stops however it ends (its timer would keep the process alive). */
    const withProgress = async (target: TakeoutTarget, concurrency: number) => {
      const progress = createProgress('import ', plan.items.length);
      try {
        return await importTakeout(plan, target, { concurrency, onItem: () => progress.tick() });
      } finally {
        progress.stop();
      }
    };
    if (server) {
      process.stderr.write(`Importing ${counted(plan.items.length, 'file')} of ${what} into the server at ${server.baseUrl}\n`);
      const temp = await makeTempFolder('takeout-upload');
      let outcome;
      try {
        outcome = await withProgress(serverTarget(server, temp), 4);
      } finally {
        await rm(temp, { recursive: true, force: true });
      }
      process.stderr.write(`${takeoutReport(plan, outcome, source.refused)}\n`);
      if (flags.wait) await (await import('./import.js')).waitRemote(server, outcome.added);
      return;
    }
    await withLibrary(settings, 'import', async (lib) => {
      const { libraryTarget } = await import('../library/imports/index.js');
      process.stderr.write(`Importing ${counted(plan.items.length, 'file')} of ${what} into ${settings.dataDir}\n`);
      if (flags.wait) await lib.startPipeline();
      const done = await withProgress(libraryTarget(lib), 2);
      process.stderr.write(`${takeoutReport(plan, done, source.refused)}\n`);
      if (flags.wait) await (await import('./import.js')).waitLocal(lib, done.added);
      else if (done.added.length > 0) {
        process.stderr.write('The new photos are processed when `shoebox serve` runs on this library (or import with --wait).\n');
      }
    });
  } finally {
    source.close();
  }
}
