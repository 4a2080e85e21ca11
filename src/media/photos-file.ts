// `photos.json` at the top of an export: what Shoebox knows of each exported photo that its file and XMP sidecar do
// not give back to an import — when it is dated by its file's time (a copy or an unzip resets that time), the user's
// turn and crop as Shoebox keeps them (the sidecar has them as other tools read them, composed with the file's
// orientation), and which video beside it was taken out of the still itself (a motion photo's, made again from the
// still on import: not an item of its own). `shoebox import` of an export reads it back. Pure.
import { z } from 'zod';
import { parseExportDocument } from './export-document.js';

export const PHOTOS_FILE = 'photos.json';

/** The most a photos file may hold (about 200 bytes a photo: a million photos is ~200 MB). */
export const MAX_PHOTOS_FILE_BYTES = 512 * 1024 * 1024;

export interface ExportedPhoto {
  /** Its originals in the export (one per album folder it went in), relative to the top folder, `/`-separated. */
  files: string[];
  /** The date it is shown with, as Shoebox keeps it (wall clock with its offset when known); null: its file's time. */
  takenAt: string | null;
  timeZone: string | null;
  /** The file's time it is dated by (an ISO instant), when no date in it or its name dates it. */
  fileTime?: string;
  /** The user's turn (clockwise, of the upright original) and crop (fractions of the turned image). */
  edit?: { rotate: 0 | 90 | 180 | 270; crop: { x: number; y: number; width: number; height: number } | null };
  /** The videos beside it taken out of the still's own file (a motion photo's): the still gives them back. */
  embeddedMotion?: string[];
}

const path = z.string().min(1).max(4096);
const unit = z.number().min(0).max(1);
const schema = z.object({
  shoebox: z.literal('photos'),
  version: z.literal(1),
  photos: z.array(
    z.object({
      files: z.array(path),
      takenAt: z.string().max(64).nullable(),
      timeZone: z.string().max(64).nullable(),
      fileTime: z.iso.datetime({ offset: true }).optional(),
      edit: z
        .object({
          rotate: z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]),
          crop: z.object({ x: unit, y: unit, width: unit, height: unit }).nullable(),
        })
        .optional(),
      embeddedMotion: z.array(path).optional(),
    }),
  ),
});

const slashes = (file: string) => file.split('\\').join('/');

/** The file's text: one photo a line, in the order exported. */
export function photosDocument(photos: readonly ExportedPhoto[]): string {
  const lines = photos.map((photo) =>
    JSON.stringify({
      ...photo,
      files: photo.files.map(slashes),
      ...(photo.embeddedMotion ? { embeddedMotion: photo.embeddedMotion.map(slashes) } : {}),
    }),
  );
  return `{"shoebox": "photos", "version": 1, "photos": [\n${lines.join(',\n')}\n]}\n`;
}

/** The photos an export's file lists; throws with the reason when it is not one. */
export function parsePhotosDocument(text: string): ExportedPhoto[] {
  return parseExportDocument(text, PHOTOS_FILE, 'photos', schema).photos;
}
