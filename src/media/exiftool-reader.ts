// The process's ExifTool (exiftool-vendored), shared by metadata reads, embedded previews, metadata stripping and
// write-back, and the words its failures are reported in.
//
// One ExifTool instance per process, created on first use, with as many perl workers as cores so that
// metadata never limits ingest; closeMetadataReader() ends them (a later read starts a new instance).

import { stat } from 'node:fs/promises';
import os from 'node:os';
import { DefaultExifToolOptions, ExifTool } from 'exiftool-vendored';
import { EXIFTOOL_MEMORY_BYTES, formatLimit } from './child-limits.js';
import { errorMessage } from './decoders/common.js';
import { watchedExiftoolFactory } from './exiftool-process.js';

let instance: ExifTool | null = null;

/** The process's ExifTool (./metadata.ts reads through it; write-back writes sidecars through it too: library/write-back/write-back.ts). */
export function reader(): ExifTool {
  if (instance === null || instance.ended) {
    const processFactory = watchedExiftoolFactory(process.env);
    instance = new ExifTool({
      // each ExifTool under a watchdog that stops it when this process is gone, even by SIGKILL
      ...(processFactory ? { processFactory } : {}),
      maxProcs: Math.max(1, os.availableParallelism()),
      // Numbers, not labels, for these (Orientation 6, not "Rotate 90 CW"; signed decimal degrees).
      numericTags: [...DefaultExifToolOptions.numericTags, 'Rating', 'RatingPercent'],
      // MWG composites reconcile EXIF / IPTC / XMP copies of DateTimeOriginal, Description, Keywords…
      useMWG: true,
      // We choose zones ourselves (./dates.ts), from raw values.
      backfillTimezones: false,
      // the maker notes' block by name (MakerNoteCanon…: its size, not its bytes), which a read leaves out otherwise:
      // whether a file still has them tells a camera's file from a copy (./file-facts.ts)
      readArgs: [...DefaultExifToolOptions.readArgs, '-api', 'RequestTags=MakerNotes'],
    });
  }
  return instance;
}

/** Ends the ExifTool processes. Safe to call more than once, and before any read. */
export async function closeMetadataReader(): Promise<void> {
  const et = instance;
  instance = null;
  if (et && !et.ended) await et.end();
}

/** A clearer reason than ExifTool's for the common cases (a directory gives "Unexpected end of JSON"). */
export async function explain(file: string, err: unknown): Promise<string> {
  try {
    const s = await stat(file);
    if (s.isDirectory()) return 'is a directory';
    if (!s.isFile()) return 'not a regular file';
  } catch (statErr) {
    const code = (statErr as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'file not found';
    if (code === 'EACCES') return 'permission denied';
  }
  return errorMessage(err);
}

/** ExifTool's process ended mid-read (over its memory limit, or crashed), or it ran past its time. */
export function toolFailure(err: unknown): string | null {
  const text = errorMessage(err);
  if (/Process terminated before task completed/i.test(text)) {
    return `ExifTool stopped while reading it (it needed more than its ${formatLimit(EXIFTOOL_MEMORY_BYTES)} memory limit, or crashed)`;
  }
  if (/^waited \d+ms|timed? ?out/i.test(text)) return 'ExifTool ran out of time reading it';
  return null;
}
