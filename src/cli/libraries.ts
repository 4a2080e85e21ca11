// `shoebox libraries`: libraries in place from the command line — add a folder (and follow its first scan), list
// them, scan one now, remove one (its files stay). Through a running server, else on the library folder itself.
import path from 'node:path';
import type { Settings } from '../config/settings.js';
import type { ScanProgress } from '../db/schema.js';
import type { InPlaceLibrary } from '../library/in-place/index.js';
import type { Library } from '../library/library.js';
import { throughServerOrLibrary } from './listing.js';
import { counted } from '../base/plural.js';

export interface LibraryAddFlags {
  name?: string;
  exclude?: string[];
  writeBack?: boolean;
  watch?: 'auto' | 'poll' | 'off';
  json?: boolean;
  server?: string;
}

/** One line of a scan's counts. */
export function scanLine(scan: ScanProgress | null): string {
  if (!scan) return 'not scanned yet';
  const counts = [
    counted(scan.seen, 'file'),
    `${scan.new} new`,
    `${scan.changed} changed`,
    `${scan.moved} moved`,
    `${scan.gone} gone`,
    ...(scan.duplicates ? [`${scan.duplicates} already in Shoebox`] : []),
    ...(scan.returned ? [`${scan.returned} back`] : []),
    ...(scan.failed ? [`${scan.failed} refused`] : []),
    ...(scan.settling ? [`${scan.settling} still being written`] : []),
  ];
  const running =
    scan.phase !== 'done'
      ? ` — ${scan.phase}${scan.toRead ? ` ${scan.read}/${scan.toRead}` : ''}, ${scan.rate}/s${scan.etaSeconds ? `, ${scan.etaSeconds} s left` : ''}`
      : '';
  return counts.join(', ') + running + (scan.missingRoots.length ? ` (not there: ${scan.missingRoots.join(', ')})` : '');
}

function print(items: InPlaceLibrary[], json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify({ items }, null, 2)}\n`);
    return;
  }
  if (items.length === 0) process.stderr.write('No libraries in place.\n');
  for (const library of items) {
    process.stdout.write(`${library.name}  ${library.id}\n  ${library.paths.join('\n  ')}\n`);
    process.stdout.write(
      `  ${counted(library.counts.photos, 'photo')} (${library.counts.offline} offline, ${counted(library.counts.refused, 'file')} refused); ${library.scanState}: ${scanLine(library.scan)}\n`,
    );
    if (library.scanError) process.stdout.write(`  last scan failed: ${library.scanError}\n`);
  }
}

/** Polls a scan through the server until it is done, a line on stderr per change. */
async function followRemote(read: () => Promise<InPlaceLibrary>, since: string | null): Promise<InPlaceLibrary> {
  let last = '';
  for (;;) {
    const library = await read();
    const line = scanLine(library.scan);
    if (line !== last && library.lastScanAt !== since) process.stderr.write(`${line}\n`);
    last = line;
    if (library.scanState === 'failed') throw new Error(`the scan failed: ${library.scanError}`);
    if (library.scanState === 'idle' && library.lastScanAt !== since) return library;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** The library side of these commands, imported only when no server holds the library (listing.ts). */
const inPlace = () => import('../library/in-place/index.js');

/** Scans on the library folder itself (no server): now, in this process, with its progress on stderr. */
async function scanHere(lib: Library, id: string): Promise<InPlaceLibrary> {
  const { scanInPlaceLibrary } = await import('../library/in-place/index.js');
  let shown = 0;
  await scanInPlaceLibrary(lib, id, {
    onProgress: (progress) => {
      if (Date.now() - shown < 1000 && progress.phase !== 'done') return;
      shown = Date.now();
      process.stderr.write(`${scanLine(progress)}\n`);
    },
  });
  process.stderr.write('The new photos are analysed when `shoebox serve` runs on this library.\n');
  return (await (await inPlace()).getInPlaceLibrary(lib, id))!;
}

export async function runLibrariesAdd(folder: string, settings: Settings, flags: LibraryAddFlags): Promise<void> {
  const input = {
    name: flags.name ?? path.basename(path.resolve(folder)),
    paths: [path.resolve(folder)],
    // none given: the server's defaults (NAS thumbnails, recycle bins), as the web form starts with
    ...(flags.exclude ? { exclude: flags.exclude.map((glob) => glob.trim()).filter(Boolean) } : {}),
    writeBack: Boolean(flags.writeBack),
    ...(flags.watch ? { watch: flags.watch } : {}),
  };
  const library = await throughServerOrLibrary(
    settings,
    flags.server,
    'libraries add',
    async (client) => {
      const created = await client.request<InPlaceLibrary>('POST', '/api/libraries', input);
      process.stderr.write(`Added ${created.name} (${created.id}); scanning…\n`);
      return followRemote(() => client.request<InPlaceLibrary>('GET', `/api/libraries/${created.id}`), null);
    },
    async (lib) => {
      const created = await (await inPlace()).createInPlaceLibrary(lib, input);
      process.stderr.write(`Added ${created.name} (${created.id}); scanning…\n`);
      return scanHere(lib, created.id);
    },
  );
  print([library], Boolean(flags.json));
}

export async function runLibrariesList(settings: Settings, flags: { json?: boolean; server?: string }): Promise<void> {
  const items = await throughServerOrLibrary(
    settings,
    flags.server,
    'libraries',
    async (client) => (await client.request<{ items: InPlaceLibrary[] }>('GET', '/api/libraries')).items,
    async (lib) => (await inPlace()).listInPlaceLibraries(lib),
  );
  print(items, Boolean(flags.json));
}

export async function runLibrariesScan(id: string, settings: Settings, flags: { json?: boolean; server?: string }): Promise<void> {
  const library = await throughServerOrLibrary(
    settings,
    flags.server,
    'libraries scan',
    async (client) => {
      const before = await client.request<InPlaceLibrary>('GET', `/api/libraries/${encodeURIComponent(id)}`);
      await client.request('POST', `/api/libraries/${encodeURIComponent(id)}/scan`);
      return followRemote(() => client.request<InPlaceLibrary>('GET', `/api/libraries/${encodeURIComponent(id)}`), before.lastScanAt);
    },
    async (lib) => {
      if (!(await (await inPlace()).requestScan(lib, id))) throw new Error(`no library with id ${id}`);
      return scanHere(lib, id);
    },
  );
  print([library], Boolean(flags.json));
}

export async function runLibrariesRemove(id: string, settings: Settings, flags: { server?: string }): Promise<void> {
  const removed = await throughServerOrLibrary(
    settings,
    flags.server,
    'libraries remove',
    async (client) => (await client.request<{ removedPhotos: number }>('DELETE', `/api/libraries/${encodeURIComponent(id)}`)).removedPhotos,
    async (lib) => {
      const count = await (await inPlace()).removeInPlaceLibrary(lib, id);
      if (count === null) throw new Error(`no library with id ${id}`);
      return count;
    },
  );
  process.stderr.write(`Removed the library and its ${counted(removed, 'photo')} from Shoebox; its files are where they were.\n`);
}
