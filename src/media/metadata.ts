// Reading a photo's metadata with ExifTool (./exiftool-reader.ts): the file's tags and its XMP sidecar's, read with
// the limits of ./png-text.ts and ./sidecar-limits.ts, then combined by ./metadata-tags.ts.

import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { TagBag } from './dates.js';
import { errorMessage } from './decoders/common.js';
import { withTempDir } from './decoders/tools.js';
import { explain, reader, toolFailure } from './exiftool-reader.js';
import { cleanText, metadataFromTags, type ReadMetadataResult } from './metadata-tags.js';
import { embeddedMotion, liveIdentifier } from './motion-photo.js';
import { copyPngWithout, oversizedPngChunks } from './png-text.js';
import { capKeywords, sidecarProblem } from './sidecar-limits.js';
import { findSidecar, MAX_SIDECAR_BYTES } from './xmp-sidecar.js';

export interface ReadMetadataOptions {
  /**
   * XMP sidecar to merge (its values win field by field). undefined: look one up with findSidecar();
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

/**
 * Reads a photo's metadata, merged with its XMP sidecar. Throws an Error when ExifTool cannot read the
 * file at all (missing, not a file, unknown or empty content); a damaged file gives what can be read.
 */
export async function readMetadata(file: string, opts: ReadMetadataOptions = {}): Promise<ReadMetadataResult> {
  const sidecarPath = opts.sidecar === undefined ? await findSidecar(file) : opts.sidecar;
  const notes: string[] = [];
  const [tags, sidecarTags] = await Promise.all([
    readPhotoTags(file, notes),
    sidecarPath ? readSidecarTags(sidecarPath, notes) : Promise.resolve(null),
  ]);
  const meta = metadataFromTags(tags, sidecarTags);
  const capped = capKeywords(meta.keywords);
  if (capped.note) notes.push(capped.note);
  const motion = embeddedMotion(tags, (await stat(file)).size);
  return { ...meta, keywords: capped.keywords, notes, motion, liveId: liveIdentifier(tags) };
}
