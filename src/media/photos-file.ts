// `photos.json` at the top of an export: what Shoebox knows of each exported photo that its file and XMP sidecar do
// not give back to an import — when it is dated by its file's time (a copy or an unzip resets that time), the user's
// turn and crop as Shoebox keeps them (the sidecar has them as other tools read them, composed with the file's
// orientation), which video beside it was taken out of the still itself (a motion photo's, made again from the
// still on import: not an item of its own); and what the user did by hand to its stacks — stacks made or given a
// cover by hand, pairs taken apart — which the rules an import runs would not make again. `shoebox import` of an
// export reads it back. Pure.
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

/** A stack made or changed by hand, by its photos' originals (each photo's first file). */
export interface ExportedStack {
  files: string[];
  /** What it was (raw-jpeg, burst, by-user, mixed…), as Shoebox named it. */
  kind: string;
  /** Whether photos were stacked by hand (an import stacks them again); else only its cover was picked by hand. */
  byHand: boolean;
  /** The file of the photo its tile shows, and whether the user picked it. */
  cover: string | null;
  coverByHand: boolean;
}

export interface PhotosDocument {
  photos: ExportedPhoto[];
  /** Absent from exports before them: none. */
  stacks: ExportedStack[];
  /** Pairs of originals taken apart by hand (unstacked, or one moved out): never stacked together again by the rules. */
  apart: [string, string][];
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
  stacks: z
    .array(
      z.object({
        files: z.array(path),
        // a kind a later Shoebox adds is no reason to refuse the file: the kind is the rules' to make again
        kind: z.string().max(32),
        byHand: z.boolean(),
        cover: path.nullable(),
        coverByHand: z.boolean(),
      }),
    )
    .default([]),
  apart: z.array(z.tuple([path, path])).default([]),
});

const slashes = (file: string) => file.split('\\').join('/');

/** The file's text: one photo a line, in the order exported, then one stack a line and one pair apart a line. */
export function photosDocument(photos: readonly ExportedPhoto[], stacks: readonly ExportedStack[] = [], apart: readonly [string, string][] = []): string {
  const lines = photos.map((photo) =>
    JSON.stringify({
      ...photo,
      files: photo.files.map(slashes),
      ...(photo.embeddedMotion ? { embeddedMotion: photo.embeddedMotion.map(slashes) } : {}),
    }),
  );
  const stackLines = stacks.map((stack) =>
    JSON.stringify({ ...stack, files: stack.files.map(slashes), cover: stack.cover === null ? null : slashes(stack.cover) }),
  );
  const pairs = apart.map(([a, b]) => JSON.stringify([slashes(a), slashes(b)]));
  const list = (items: string[]) => (items.length > 0 ? `[\n${items.join(',\n')}\n]` : '[]');
  return `{"shoebox": "photos", "version": 1, "photos": ${list(lines)},\n"stacks": ${list(stackLines)},\n"apart": ${list(pairs)}}\n`;
}

/** The photos an export's file lists, with their stacks; throws with the reason when it is not one. */
export function parsePhotosDocument(text: string): PhotosDocument {
  const { photos, stacks, apart } = parseExportDocument(text, PHOTOS_FILE, 'photos', schema);
  return { photos, stacks, apart };
}
