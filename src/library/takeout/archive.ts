// The files of a Google Takeout export, from its zips (streamed: an entry is read when it is imported, never the
// archive unpacked) and from folders it was extracted to, as one list: the several zips of one export, in any
// order, make one tree. Archives are untrusted input: names that climb out or are absolute, links, encrypted
// entries and sizes a photo never has are refused one by one, with the reason; a file that is not a zip, or whose
// entries overlap, is refused whole, and the rest goes on. The bytes an archive's entries actually inflate are counted
// across the whole archive: past its bound (ZipBombError) the import stops, whatever each entry's header said.
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline, Transform, type Readable } from 'node:stream';
import yauzl from 'yauzl';
import { UserError } from '../../base/errors.js';
import { overlappingEntries } from '../../base/zip-entries.js';
import { formatBytes } from '../../base/text.js';

export interface TakeoutFile {
  /** Where it is, for the report: `export-1.zip:Takeout/Google Photos/Trip/IMG.jpg` or a path on disk. */
  label: string;
  /** The folder it is in (its last component: `Photos from 2019`, an album's name): the unit sidecars match in. */
  folder: string;
  /** The folder it is in, whole and with its archive: one part's `Photos/` is not another's. */
  dir: string;
  /** Its own name. */
  name: string;
  /** Bytes, as the archive or the file system says. */
  size: number;
  open(): Promise<Readable>;
}

export interface TakeoutSource {
  files: TakeoutFile[];
  /** Archives or entries refused, with the reason. */
  refused: { label: string; reason: string }[];
  close(): void;
}

/** Entries one archive may hold (Takeout splits exports into zips of up to 50 GB: ~20,000 photos). */
const MAX_ENTRIES = 500_000;
/** Compressed this many times over, an entry is a bomb: photos and videos hardly compress, sidecars ~3×. */
const MAX_RATIO = 100;
/**
 * What one archive may inflate in all, read after read: this many times its own size, and at least MIN_INFLATE_BYTES.
 * A Takeout or iCloud zip is photos and videos (~1×) with sidecars and CSVs (~3-5×); an import reads each entry
 * once, a sidecar twice (planned, then kept beside its photo).
 */
export const INFLATE_RATIO = 10;
export const MIN_INFLATE_BYTES = 256 * 1024 * 1024;

/** An archive that inflated past its bound: the import stops, saying which archive. */
export class ZipBombError extends UserError {
  constructor(message: string) {
    super('invalid', message);
    this.name = 'ZipBombError';
  }
}

/** The bytes one archive's entries have inflated, against its bound. */
class InflateBudget {
  private inflated = 0;
  readonly limit: number;

  constructor(
    private readonly archive: string,
    private readonly archiveBytes: number,
  ) {
    this.limit = Math.max(MIN_INFLATE_BYTES, INFLATE_RATIO * archiveBytes);
  }

  private exceeded(): ZipBombError {
    return new ZipBombError(
      `${this.archive} unpacks to more than ${formatBytes(this.limit)} from ${formatBytes(this.archiveBytes)} ` +
        `(over ${INFLATE_RATIO} times its size): a zip bomb; the import stops`,
    );
  }

  /** The entry's stream, its bytes counted as they are inflated: past the bound it fails with ZipBombError. */
  async open(entry: () => Promise<Readable>): Promise<Readable> {
    if (this.inflated > this.limit) throw this.exceeded();
    const counted = new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        this.inflated += chunk.length;
        done(this.inflated > this.limit ? this.exceeded() : null, chunk);
      },
    });
    // an error of either side reaches the reader; a reader that stops early stops the inflating
    pipeline(await entry(), counted, () => undefined);
    return counted;
  }
}

const isLink = (entry: yauzl.Entry) => ((entry.externalFileAttributes >>> 16) & 0o170000) === 0o120000;

/** Why an entry's name is refused (it climbs out, is absolute, holds a NUL), or null. */
export function unsafeEntryName(name: string): string | null {
  if (name.includes('\0')) return 'its name holds a NUL character';
  if (name.startsWith('/') || /^[a-zA-Z]:/u.test(name)) return 'its name is an absolute path';
  if (name.split('/').some((part) => part === '..')) return 'its name climbs out of the archive (..)';
  return null;
}

function decodeName(entry: yauzl.Entry): string {
  const raw = entry.fileName as unknown as Buffer;
  // bit 11: the name is UTF-8 (Takeout sets it); else the old IBM code page, ASCII for every name Takeout writes
  const name = (entry.generalPurposeBitFlag & 0x800) !== 0 ? raw.toString('utf8') : raw.toString('latin1');
  return name.replace(/\\/gu, '/');
}

function inFolder(source: string, relative: string): { folder: string; dir: string; name: string } {
  const parts = relative.split('/').filter((part) => part !== '' && part !== '.');
  return { folder: parts.length > 1 ? parts[parts.length - 2]! : '', dir: `${source}:${parts.slice(0, -1).join('/')}`, name: parts[parts.length - 1] ?? '' };
}

async function readZip(archive: string, archiveBytes: number, files: TakeoutFile[], refused: TakeoutSource['refused']): Promise<yauzl.ZipFile | null> {
  const base = path.basename(archive);
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(archive, { lazyEntries: true, autoClose: false, validateEntrySizes: true, decodeStrings: false });
  } catch (error) {
    refused.push({ label: archive, reason: `not a zip archive (${(error as Error).message})` });
    return null;
  }
  const entries = await new Promise<yauzl.Entry[]>((resolve) => {
    const found: yauzl.Entry[] = [];
    zip.on('entry', (entry: yauzl.Entry) => {
      found.push(entry);
      if (found.length < MAX_ENTRIES) zip.readEntry();
      else {
        refused.push({ label: archive, reason: `more than ${MAX_ENTRIES} entries: the rest were not read` });
        resolve(found);
      }
    });
    zip.on('end', () => resolve(found));
    zip.on('error', (error: Error) => {
      refused.push({ label: archive, reason: `the zip archive is damaged: ${error.message}${found.length > 0 ? ` (after ${found.length} entries)` : ''}` });
      resolve(found);
    });
    zip.readEntry();
  });
  const overlap = overlappingEntries(entries);
  if (overlap) {
    refused.push({ label: archive, reason: overlap });
    zip.close();
    return null;
  }
  const budget = new InflateBudget(base, archiveBytes);
  for (const entry of entries) {
    const relative = decodeName(entry);
    if (relative.endsWith('/')) continue;
    const label = `${base}:${relative}`;
    const unsafe = unsafeEntryName(relative);
    const why =
      unsafe ??
      (isLink(entry) ? 'it is a link, not a file' : null) ??
      (entry.isEncrypted() ? 'it is encrypted' : null) ??
      (entry.uncompressedSize > 1024 * 1024 && entry.uncompressedSize > MAX_RATIO * Math.max(1, entry.compressedSize)
        ? `it unpacks to ${entry.uncompressedSize} bytes from ${entry.compressedSize}: a zip bomb`
        : null);
    if (why) {
      refused.push({ label, reason: why });
      continue;
    }
    files.push({
      label,
      ...inFolder(archive, relative),
      size: entry.uncompressedSize,
      open: () => budget.open(() => zip.openReadStreamPromise(entry)),
    });
  }
  return zip;
}

async function readFolder(root: string, files: TakeoutFile[]): Promise<void> {
  async function walk(dir: string): Promise<void> {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) {
        const { size } = await fs.stat(full);
        files.push({ label: full, folder: path.basename(dir), dir, name: entry.name, size, open: async () => createReadStream(full) });
      }
    }
  }
  await walk(root);
}

/** The export's files from zips and folders; a path that is neither is refused with the reason. */
export async function openTakeout(paths: readonly string[]): Promise<TakeoutSource> {
  const files: TakeoutFile[] = [];
  const refused: TakeoutSource['refused'] = [];
  const zips: yauzl.ZipFile[] = [];
  for (const given of paths) {
    const full = path.resolve(given);
    const stat = await fs.stat(full).catch(() => null);
    if (!stat) refused.push({ label: given, reason: 'no such file or folder' });
    else if (stat.isDirectory()) await readFolder(full, files);
    else if (stat.isFile()) {
      const zip = await readZip(full, stat.size, files, refused);
      if (zip) zips.push(zip);
    } else refused.push({ label: given, reason: 'not a file or a folder' });
  }
  return { files, refused, close: () => zips.forEach((zip) => zip.close()) };
}

/** Reads a small file (a sidecar) whole, refusing one larger than `max` bytes. */
export async function readSmall(file: TakeoutFile, max: number): Promise<string> {
  if (file.size > max) throw new Error(`larger than ${max} bytes`);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of await file.open()) {
    total += (chunk as Buffer).length;
    if (total > max) throw new Error(`larger than ${max} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
