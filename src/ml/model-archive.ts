// A model from a zip archive, for machines that cannot reach the hub: the model's repository folder, zipped on a
// machine that can (the folder itself or inside one top folder, as a desktop's "Compress" makes it). Only the files
// the catalogue names for the model are taken out; the archive is read as untrusted input (names that climb out
// of the folder, links, sizes the header lies about or that no model has, encrypted entries, entries whose data
// overlap are refused), then installed as from a folder (registry.ts validates every file).
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { overlappingEntries } from '../base/zip-entries.js';
import { completeness, getHubModelSpec, ModelInstallError, type HubModelSpec } from './model-catalogue.js';

/** No model file is this large (the largest, a multilingual text encoder's weights, is ~2 GB). */
export const MAX_MODEL_FILE_BYTES = 4 * 1024 ** 3;
/** Entries an archive of a model repository may hold (its files, a .git folder's among them). */
const MAX_ENTRIES = 10_000;

/** The files a model's folder may hold: the ones every install needs and each variant's weights. */
function wantedFiles(spec: HubModelSpec): Set<string> {
  return new Set([...spec.files, ...Object.values(spec.weights).flat()]);
}

/**
 * The folder inside the archive that holds the model: where its first required file lies (at the top, or in
 * one or more folders). Null when the archive has none of its files.
 */
export function modelRoot(names: readonly string[], spec: HubModelSpec): string | null {
  const anchor = spec.files[0]!;
  const roots = names.filter((name) => name === anchor || name.endsWith(`/${anchor}`)).map((name) => name.slice(0, name.length - anchor.length));
  // the shallowest: a copy of the file deeper down (an example, a cache) is not the model's
  return roots.sort((a, b) => a.length - b.length)[0] ?? null;
}

/** An error yauzl raised opening an entry (a bad local header, a compression method it cannot read), not a file system's. */
const isZipError = (error: unknown) => error instanceof Error && !('code' in error && typeof (error as NodeJS.ErrnoException).code === 'string');

const isLink = (entry: yauzl.Entry) => ((entry.externalFileAttributes >>> 16) & 0o170000) === 0o120000;

/** Takes the model's files out of a zip archive into `target`; throws ModelInstallError saying what is wrong. */
export async function extractModelArchive(archive: string, name: string, target: string): Promise<string[]> {
  const spec = getHubModelSpec(name);
  const wanted = wantedFiles(spec);
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(archive, { lazyEntries: true, autoClose: false, validateEntrySizes: true });
  } catch (error) {
    throw new ModelInstallError(`the file is not a zip archive (${(error as Error).message})`);
  }
  try {
    const entries = await readEntries(zip);
    // no zip tool writes entries that share their data: refused before a byte of it is inflated
    const overlap = overlappingEntries(entries);
    if (overlap) throw new ModelInstallError(`the archive is refused: ${overlap}`);
    const root = modelRoot(
      entries.map((e) => e.fileName),
      spec,
    );
    if (root === null) throw new ModelInstallError(`the archive holds no ${spec.files[0]}: it is not a zip of the ${spec.repo} folder`);
    const present = new Set(entries.filter((e) => e.fileName.startsWith(root)).map((e) => e.fileName.slice(root.length)));
    const { missing, variants, expected } = completeness(spec, (file) => present.has(file));
    if (missing.length > 0) throw new ModelInstallError(`the archive's ${spec.repo} folder lacks ${missing.join(', ')}`);
    if (variants.length === 0) throw new ModelInstallError(`the archive has no complete set of ONNX weights (expected ${expected})`);
    const taken: string[] = [];
    // no file of a model is much larger than its whole download; a header that says otherwise is a bomb or a lie
    const largest = Math.min(MAX_MODEL_FILE_BYTES, Math.ceil(Math.max(...Object.values(spec.approxBytes)) * 1.5));
    let unpacked = 0;
    for (const entry of entries) {
      if (!entry.fileName.startsWith(root)) continue;
      const file = entry.fileName.slice(root.length);
      if (!wanted.has(file)) continue;
      if (taken.includes(file)) throw new ModelInstallError(`${entry.fileName} is in the archive twice`);
      if (isLink(entry)) throw new ModelInstallError(`${entry.fileName} in the archive is a link, not a file`);
      if (entry.isEncrypted()) throw new ModelInstallError(`${entry.fileName} in the archive is encrypted`);
      unpacked += entry.uncompressedSize;
      if (entry.uncompressedSize > largest || unpacked > largest) {
        throw new ModelInstallError(`${entry.fileName} in the archive says it is larger than ${spec.name} can be (${Math.round(largest / 1e6)} MB)`);
      }
      const destination = path.join(target, file);
      await mkdir(path.dirname(destination), { recursive: true });
      let unreadable: Error | null = null;
      try {
        const source = await zip.openReadStreamPromise(entry);
        source.once('error', (error: Error) => (unreadable = error));
        await pipeline(source, createWriteStream(destination));
      } catch (error) {
        // the archive's fault (a 400); failing to write here (a full disk) is the server's and goes on as it is
        const cause = unreadable ?? (isZipError(error) ? (error as Error) : null);
        if (cause) throw new ModelInstallError(`${entry.fileName} in the archive cannot be read: ${cause.message}`);
        throw error;
      }
      taken.push(file);
    }
    return taken;
  } finally {
    zip.close();
  }
}

/** The archive's entries, folders left out (yauzl refuses names that are absolute or climb out, and turns `\\` into `/`). */
function readEntries(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    zip.on('entry', (entry: yauzl.Entry) => {
      if (!entry.fileName.endsWith('/')) entries.push(entry);
      if (entries.length <= MAX_ENTRIES) zip.readEntry();
      else reject(new ModelInstallError(`the archive holds more than ${MAX_ENTRIES} files: it is not a model's folder`));
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', (error: Error) => reject(new ModelInstallError(`the zip archive is damaged: ${error.message}`)));
    zip.readEntry();
  });
}
