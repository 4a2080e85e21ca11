// Reading a photo's metadata with ExifTool (./exiftool-reader.ts): the file's tags and its XMP sidecar's, read with
// the limits of ./png-text.ts and ./sidecar-limits.ts, then combined by ./metadata-tags.ts.

import { open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { TagBag } from './dates.js';
import { errorMessage } from './decoders/common.js';
import { withTempDir } from './decoders/tools.js';
import { explain, reader, toolFailure } from './exiftool-reader.js';
import { cleanText, metadataFromTags, withTakeoutFacts, type ReadMetadataResult } from './metadata-tags.js';
import { MAX_SIDECAR_JSON_BYTES, parseTakeoutSidecar, TakeoutJsonError, type TakeoutSidecar } from './takeout-json.js';
import { burstIdentifier, embeddedMotion, liveIdentifier } from './motion-photo.js';
import { copyPngWithout, oversizedPngChunks } from './png-text.js';
import { capKeywords, sidecarProblem } from './sidecar-limits.js';
import { findSidecar, MAX_SIDECAR_BYTES } from './xmp-sidecar.js';

export interface ReadMetadataOptions {
  /**
   * XMP sidecar to merge (its values win field by field), or a Google Takeout JSON one (its facts fill what the file
   * does not say). undefined: look an XMP one up with findSidecar();
   * null: no sidecar. A sidecar that cannot be read is ignored.
   */
  sidecar?: string | null;
}

/** The tags of `file`; `name` is what messages call it (the original's path when `file` is a cleaned copy). */
async function readTags(file: string, name = file): Promise<TagBag> {
  let tags: TagBag;
  try {
    tags = (await reader().read(file)) as unknown as TagBag;
  } catch (err) {
    throw new Error(`Cannot read metadata of ${name}: ${toolFailure(err) ?? (await explain(file, err))}`, { cause: err });
  }
  // ExifTool reports "File format error", "File is empty", "Unknown file type"… in Error when it could
  // not parse the file at all. Partial reads (truncated files) only carry warnings: keep those.
  const error = cleanText(tags.Error);
  if (error !== null && cleanText(tags.FileType) === null) {
    throw new Error(`Cannot read metadata of ${name}: ${error}`);
  }
  return tags;
}

/** The photo's tags; a PNG's metadata chunks too big to read are left out (./png-text.ts), with a note. */
async function readPhotoTags(file: string, notes: string[]): Promise<TagBag> {
  const skip = await oversizedPngChunks(file).catch(() => null);
  if (!skip || skip.length === 0) return readTags(file);
  notes.push(...skip.map((chunk) => `${chunk.reason}: not read`));
  return withTempDir(async (dir) => {
    const copy = path.join(dir, path.basename(file));
    await copyPngWithout(file, copy, skip);
    return readTags(copy, file);
  });
}

/** The sidecar's tags, or null with a note saying why it was not read. */
async function readSidecarTags(sidecar: string, notes: string[]): Promise<TagBag | null> {
  const problem = await sidecarProblem(sidecar, MAX_SIDECAR_BYTES);
  if (problem !== null) {
    notes.push(`XMP sidecar not read: ${problem}`);
    return null;
  }
  try {
    return await readTags(sidecar);
  } catch (err) {
    notes.push(`XMP sidecar not read: ${errorMessage(err).replace(/^Cannot read metadata of [^:]*: /, '')}`);
    return null;
  }
}

/** Whether a sidecar is JSON (a Google Takeout one) rather than XMP: its first character tells. */
async function isTakeoutJson(sidecar: string): Promise<boolean> {
  const handle = await open(sidecar, 'r').catch(() => null);
  if (!handle) return false;
  try {
    const head = Buffer.alloc(64);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return /^(\uFEFF)?\s*\{/u.test(head.toString('utf8', 0, bytesRead));
  } finally {
    await handle.close();
  }
}

/** A Takeout sidecar's facts, or null with a note saying why it was not read. */
async function readTakeoutFacts(sidecar: string, notes: string[]): Promise<TakeoutSidecar | null> {
  try {
    const size = (await stat(sidecar)).size;
    if (size > MAX_SIDECAR_JSON_BYTES) throw new TakeoutJsonError(`it is larger than ${MAX_SIDECAR_JSON_BYTES} bytes`);
    const facts = parseTakeoutSidecar(await readFile(sidecar, 'utf8'), 'the Google Takeout sidecar');
    notes.push(...facts.problems.map((problem) => `Google Takeout sidecar: ${problem}, not taken`));
    return facts;
  } catch (err) {
    notes.push(`Google Takeout sidecar not read: ${errorMessage(err)}`);
    return null;
  }
}

/**
 * Reads a photo's metadata, merged with its XMP sidecar. Throws an Error when ExifTool cannot read the
 * file at all (missing, not a file, unknown or empty content); a damaged file gives what can be read.
 */
export async function readMetadata(file: string, opts: ReadMetadataOptions = {}): Promise<ReadMetadataResult> {
  const sidecarPath = opts.sidecar === undefined ? await findSidecar(file) : opts.sidecar;
  const notes: string[] = [];
  const takeout = sidecarPath && (await isTakeoutJson(sidecarPath)) ? await readTakeoutFacts(sidecarPath, notes) : undefined;
  const [tags, sidecarTags] = await Promise.all([
    readPhotoTags(file, notes),
    sidecarPath && takeout === undefined ? readSidecarTags(sidecarPath, notes) : Promise.resolve(null),
  ]);
  // a Google Takeout sidecar fills only what the file does not say (an XMP sidecar's values win over the file's)
  const meta = metadataFromTags(takeout ? withTakeoutFacts(tags, takeout) : tags, sidecarTags);
  const capped = capKeywords(meta.keywords);
  if (capped.note) notes.push(capped.note);
  const motion = embeddedMotion(tags, (await stat(file)).size);
  return { ...meta, keywords: capped.keywords, notes, motion, liveId: liveIdentifier(tags), burstId: burstIdentifier(tags) };
}
