// Where a photo's XMP sidecar is, and the largest one read (its shape is bounded by ./sidecar-limits.ts).

import { constants as fsConstants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Largest XMP sidecar read: Lightroom's and digiKam's are kilobytes (a long develop history a few hundred); a
 * 19 MB one held ExifTool for a minute. Larger ones are refused at upload and import, and ignored here.
 */
export const MAX_SIDECAR_BYTES = 4 * 1024 * 1024;

async function isReadableFile(p: string): Promise<boolean> {
  try {
    const s = await stat(p);
    if (!s.isFile()) return false;
    await access(p, fsConstants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The XMP sidecar of a file: `name.ext.xmp` first (darktable, digiKam, Immich), then `name.xmp`
 * (Lightroom, Capture One); extension .xmp or .XMP. Null when there is none.
 */
export async function findSidecar(file: string): Promise<string | null> {
  const parsed = path.parse(file);
  if (parsed.ext.toLowerCase() === '.xmp') return null;
  const stem = path.join(parsed.dir, parsed.name);
  const candidates = [`${file}.xmp`, `${file}.XMP`];
  if (parsed.ext !== '') candidates.push(`${stem}.xmp`, `${stem}.XMP`);
  for (const c of candidates) {
    if (await isReadableFile(c)) return c;
  }
  return null;
}
