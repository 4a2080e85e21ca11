// Libraries in place: folders Shoebox indexes where they are (never copied), watched and rescanned; each file seen
// there, with what Shoebox made of it (library/in-place/).
import { sql } from 'drizzle-orm';
import { bigint, boolean, doublePrecision, index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { photos } from './photos.js';
import { users } from './users.js';

/** How a library's folders are followed between scans: the file system's events, polling (network shares), or not. */
export const WATCH_MODES = ['auto', 'poll', 'off'] as const;
export type WatchMode = (typeof WATCH_MODES)[number];

export const SCAN_STATES = ['idle', 'queued', 'scanning', 'failed'] as const;
export type ScanState = (typeof SCAN_STATES)[number];

/** A scan's counts: files seen, new, changed, gone, unchanged, refused; the rate and what is left (libraries.scan). */
export interface ScanProgress {
  phase: 'listing' | 'reading' | 'done';
  seen: number;
  /** Files listed in the folders (known once the listing is done). */
  total: number | null;
  /** Files read so far in the reading phase (the new and changed ones). */
  read: number;
  toRead: number | null;
  new: number;
  changed: number;
  /** Renamed or moved (same bytes at another path): the photo kept. */
  moved: number;
  gone: number;
  /** Another copy of a photo already in the library (same bytes): one photo, several files. */
  duplicates: number;
  unchanged: number;
  /** Came back after their folder was away (a remounted disk): the photos back, nothing redone. */
  returned: number;
  failed: number;
  /** New or changed files still being written (changed within SHOEBOX_LIBRARY_SETTLE_MS): read by the next scan. */
  settling: number;
  /** Files a second over the scan so far, and seconds left (null until known). */
  rate: number;
  etaSeconds: number | null;
  startedAt: string;
  finishedAt: string | null;
  /** A scan of the folders where the watcher saw changes: those folders; null: every folder. */
  folders: string[] | null;
  /** Folders of the library that were not there (an unmounted disk): their photos are offline. */
  missingRoots: string[];
}

export const inPlaceLibraries = pgTable(
  'libraries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** Absolute folders (as given, normalised; each inside an allowed root when added). */
    paths: text('paths').array().notNull(),
    /** Glob patterns (library/in-place/glob.ts) of files and folders left out, matched against the path inside its folder. */
    exclude: text('exclude')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Write ratings, favourites, tags, descriptions and people to XMP sidecars beside the files. */
    writeBack: boolean('write_back').notNull().default(false),
    watch: text('watch').$type<WatchMode>().notNull().default('auto'),
    scanState: text('scan_state').$type<ScanState>().notNull().default('idle'),
    /**
     * What the next scan covers: every folder (asked for by a user, the schedule, a change of folders), or only
     * the folders where the watcher saw changes (a new file is in the library in seconds, whatever its size).
     */
    fullScanDue: boolean('full_scan_due').notNull().default(true),
    changedFolders: text('changed_folders')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** The last (or running) scan's counts. */
    scan: jsonb('scan').$type<ScanProgress>(),
    scanError: text('scan_error'),
    lastScanAt: timestamp('last_scan_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('libraries_owner_idx').on(t.ownerId)],
);

/**
 * Each file found in a library's folders: its size and time (a rescan reads only the files whose size or time
 * changed), its checksum, the photo it is (several files with the same bytes are one photo), why it was refused,
 * and since when it is missing. A file whose photo the user deleted keeps its row without a photo: hidden.
 */
export const inPlaceFiles = pgTable(
  'library_files',
  {
    libraryId: uuid('library_id')
      .notNull()
      .references(() => inPlaceLibraries.id, { onDelete: 'cascade' }),
    path: text('path').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    /** Milliseconds since the epoch (sub-millisecond times kept as fractions). */
    mtimeMs: doublePrecision('mtime_ms').notNull(),
    /**
     * `device:inode` of the file the scan read: a file in place is served only while the file opened is that one
     * (storage/in-place.ts). Null in rows from before it was recorded, until the next scan fills it in.
     */
    fileId: text('file_id'),
    sha256: text('sha256'),
    photoId: uuid('photo_id').references(() => photos.id, { onDelete: 'set null' }),
    /** The sidecar beside it (`name.ext.xmp`, else `name.xmp`) as last read. */
    sidecarPath: text('sidecar_path'),
    sidecarSize: bigint('sidecar_size', { mode: 'number' }),
    sidecarMtimeMs: doublePrecision('sidecar_mtime_ms'),
    /** Why the file is not a photo (unreadable, not an image, too large); null when it is one. */
    error: text('error'),
    missingSince: timestamp('missing_since', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.libraryId, t.path] }),
    index('library_files_photo_idx')
      .on(t.photoId)
      .where(sql`${t.photoId} is not null`),
    // a sidecar read through the storage is checked against its row (storage/in-place.ts)
    index('library_files_sidecar_idx')
      .on(t.sidecarPath)
      .where(sql`${t.sidecarPath} is not null`),
  ],
);

/** Folders an admin allowed through the API, besides SHOEBOX_LIBRARY_ROOTS. */
export const inPlaceRoots = pgTable('library_roots', {
  path: text('path').primaryKey(),
  addedBy: uuid('added_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
