// An import sent from the web app: the user makes one (GET/POST /api/imports), uploads the export's archives into it
// resumably (tus, api/import-uploads.ts, into the store below), starts it, and follows its progress and report. The
// archives stay on this server's disk until the import is done (then they go), so an upload cut off goes on where it
// stopped, and a server stopped while importing imports again at start (./run.ts: an import is idempotent; ./stops.ts:
// not after two crashes at one place).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { FileStore } from '@tus/file-store';
import type { Upload } from '@tus/utils';
import { and, desc, eq, sql } from 'drizzle-orm';
import { UserError } from '../../base/errors.js';
import { withoutControls, formatBytes } from '../../base/text.js';
import { rows } from '../../db/connection.js';
import { imports, type ImportRow } from '../../db/schema.js';
import { ownsSql } from '../../scope/rows.js';
import { ownQuota } from '../quota/quota.js';
import type { Library, Resources } from '../library.js';
import { mayChange } from '../actors.js';

export const IMPORT_SOURCES = ['google-takeout', 'icloud'] as const;
export type ImportSource = (typeof IMPORT_SOURCES)[number];

/** The largest archive one upload may be (Google splits a Takeout into zips of up to 50 GB). */
export const MAX_ARCHIVE_BYTES = 64 * 1024 ** 3;

/** An upload nobody has added to for this long is removed (an import given up in the middle). */
export const UPLOAD_EXPIRY_MS = 7 * 24 * 3600 * 1000;

export interface ImportFile {
  uploadId: string;
  name: string;
  size: number | null;
  /** Bytes the server has: the upload goes on from here. */
  received: number;
}

export interface ImportView {
  id: string;
  source: ImportSource;
  status: 'uploading' | 'importing' | 'done' | 'failed';
  files: ImportFile[];
  progress: { done: number; total: number } | null;
  outcome: Record<string, number> | null;
  report: string | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

const stores = new WeakMap<Resources['settings'], FileStore>();

/** Where this server keeps the archives being uploaded (one file and its `.json` description per upload). */
export function importUploads(context: Pick<Resources, 'settings'>): FileStore {
  let store = stores.get(context.settings);
  if (!store) {
    store = new FileStore({ directory: path.join(context.settings.dataDir, 'import-uploads'), expirationPeriodInMilliseconds: UPLOAD_EXPIRY_MS });
    stores.set(context.settings, store);
  }
  return store;
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** An upload's id: its import's, then its own (an upload is found by its import, and names it). */
export function newUploadId(importId: string): string {
  return `${importId}_${randomUUID()}`;
}

/** The import an upload id belongs to, or null when it is not an upload id. */
export function importOfUpload(uploadId: string): string | null {
  return new RegExp(`^(${UUID})_${UUID}$`, 'u').exec(uploadId)?.[1] ?? null;
}

type Archive = ImportFile & { path: string };

/** The archives uploaded (or being uploaded) into these imports, each import's in the order they were begun; one look at the folder. */
async function archivesOf(context: Pick<Resources, 'settings'>, importIds: readonly string[]): Promise<Map<string, Archive[]>> {
  const store = importUploads(context);
  await fs.mkdir(store.directory, { recursive: true });
  const wanted = new Set(importIds);
  const found = new Map<string, Upload[]>(importIds.map((id) => [id, []]));
  for (const id of (await store.configstore.list?.()) ?? []) {
    const importId = importOfUpload(id);
    if (!importId || !wanted.has(importId)) continue;
    const upload = await store.getUpload(id).catch(() => null);
    if (upload) found.get(importId)!.push(upload);
  }
  const archives = new Map<string, Archive[]>();
  for (const [importId, uploads] of found) {
    archives.set(
      importId,
      uploads
        .sort((a, b) => (a.creation_date ?? '').localeCompare(b.creation_date ?? ''))
        .map((upload) => ({
          uploadId: upload.id,
          name: upload.metadata?.filename ?? upload.id,
          size: upload.size ?? null,
          received: upload.offset,
          path: path.join(store.directory, upload.id),
        })),
    );
  }
  return archives;
}

/** The archives uploaded (or being uploaded) into an import, in the order they were begun. */
export async function importFiles(context: Pick<Resources, 'settings'>, importId: string): Promise<Archive[]> {
  return (await archivesOf(context, [importId])).get(importId) ?? [];
}

function view(row: ImportRow, archives: readonly Archive[]): ImportView {
  return {
    id: row.id,
    source: row.source as ImportSource,
    status: row.status as ImportView['status'],
    files: archives.map(({ path: _path, ...file }) => file),
    progress: row.progress ?? null,
    outcome: row.outcome ?? null,
    report: row.report,
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

/** The user's import, or a 404 (another user's is not theirs to know of). */
export async function findImport(lib: Library, id: string): Promise<ImportRow> {
  const [row] = await lib.db
    .select()
    .from(imports)
    .where(and(eq(imports.id, id), ownsSql(lib, 'imports')));
  if (!row) throw new UserError('not-found', 'no such import');
  return row;
}

export async function createImport(lib: Library, source: ImportSource): Promise<ImportView> {
  mayChange(lib, 'upload');
  const [made] = await rows<{ id: string }>(lib.db, sql`insert into imports (owner_id, source) values (${lib.ownerId}::uuid, ${source}) returning id`);
  return view(await findImport(lib, made!.id), []);
}

export async function getImport(lib: Library, id: string): Promise<ImportView> {
  return view(await findImport(lib, id), await importFiles(lib, id));
}

/** The user's imports, newest first. */
export async function listImports(lib: Library): Promise<ImportView[]> {
  const found = await lib.db.select().from(imports).where(ownsSql(lib, 'imports')).orderBy(desc(imports.createdAt)).limit(100);
  const archives = await archivesOf(
    lib,
    found.map((row) => row.id),
  );
  return found.map((row) => view(row, archives.get(row.id) ?? []));
}

/** Whether archives may still be added to the import: it is the user's and has not started. */
export async function acceptsUploads(lib: Library, id: string): Promise<boolean> {
  const row = await findImport(lib, id).catch(() => null);
  return row?.status === 'uploading';
}

/**
 * Marks the import as importing when every archive is whole (409 with the ones that are not), once: a second start
 * meanwhile finds it importing. Answers the archives it is to import.
 */
export async function markImporting(lib: Library, id: string): Promise<Archive[]> {
  mayChange(lib, 'upload');
  const row = await findImport(lib, id);
  if (row.status === 'importing') throw new UserError('conflict', 'the import is running');
  if (row.status === 'done') throw new UserError('conflict', 'the import is done: make a new one to import again');
  const files = await importFiles(lib, id);
  if (files.length === 0) throw new UserError('conflict', 'upload the archives first');
  const partial = files.filter((file) => file.size === null || file.received < file.size);
  if (partial.length > 0) {
    throw new UserError(
      'conflict',
      `not uploaded whole yet: ${partial.map((file) => `${file.name} (${file.received} of ${file.size ?? '?'} bytes)`).join(', ')}`,
    );
  }
  const marked = await lib.db
    .update(imports)
    .set({ status: 'importing', error: null, progress: { done: 0, total: 0 }, stops: null, updatedAt: new Date() })
    .where(and(eq(imports.id, id), ownsSql(lib, 'imports'), sql`${imports.status} in ('uploading', 'failed')`))
    .returning({ id: imports.id });
  if (marked.length === 0) throw new UserError('conflict', 'the import was started meanwhile');
  return files;
}

/**
 * Whether the user may stage another archive of `bytes`: with a storage quota, the archives of their imports not
 * done yet and this one fit in what it leaves (an import's photos count against it when they go in).
 */
export async function checkStagingRoom(lib: Library, bytes: number): Promise<void> {
  const { quota, used } = await ownQuota(lib);
  if (quota === null) return;
  const open = (await listImports(lib)).filter((item) => item.status !== 'done');
  const staged = open.flatMap((item) => item.files).reduce((sum, file) => sum + (file.size ?? file.received), 0);
  if (used + staged + bytes > quota) {
    throw new UserError(
      'too-large',
      `over your storage quota: ${formatBytes(used)} kept and ${formatBytes(staged)} of archives waiting to be imported, of ${formatBytes(quota)}; ` +
        `this archive is ${formatBytes(bytes)}`,
    );
  }
}

/** Removes an import and its archives, in any state (./run.ts deleteImport stops a run of it first). */
export async function removeImport(lib: Library, id: string): Promise<void> {
  mayChange(lib, 'upload');
  await findImport(lib, id);
  await removeArchives(lib, id);
  await lib.db.delete(imports).where(and(eq(imports.id, id), ownsSql(lib, 'imports')));
}

/** Deletes the archives of an import (done with them, or given up). */
export async function removeArchives(context: Pick<Resources, 'settings'>, id: string): Promise<void> {
  const store = importUploads(context);
  for (const file of await importFiles(context, id)) await store.remove(file.uploadId).catch(() => undefined);
}

/**
 * Records where an import is (its progress, its end, its stops); false when it is gone (removed meanwhile). Its report
 * and error are kept without control characters: text from the archive (a NUL in an album's title) in a failure
 * that could not be written left the import importing for ever.
 */
export async function recordImport(
  lib: Library,
  id: string,
  change: Partial<Pick<ImportRow, 'status' | 'progress' | 'outcome' | 'report' | 'error' | 'finishedAt' | 'stops'>>,
): Promise<boolean> {
  const clean = (text: string | null | undefined) => (typeof text === 'string' ? withoutControls(text, { lines: true }) : text);
  const updated = await lib.db
    .update(imports)
    .set({ ...change, report: clean(change.report), error: clean(change.error), updatedAt: sql`now()` })
    .where(and(eq(imports.id, id), ownsSql(lib, 'imports')))
    .returning({ id: imports.id });
  return updated.length > 0;
}
