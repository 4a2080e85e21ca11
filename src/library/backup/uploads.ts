// A backup from the phone or the desk (issue 63 item 3): each photo sent with the tus resumable-upload protocol
// (api/uploads.ts) into this server's store below, then taken into the library through the upload's door once whole.
// An upload's id starts with its owner's, so that a request on another user's upload is refused before a byte is
// read; what became of a finished upload (its photo, or why it was refused) is kept for a while beside the store, as
// the client may ask again after the connection dropped on the last answer.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { FileStore } from '@tus/file-store';
import { formatBytes } from '../../base/text.js';
import { UserError, type ErrorKind } from '../../base/errors.js';
import { ownQuota } from '../quota/quota.js';
import { isOwner } from '../../scope/rows.js';
import type { Library, Resources } from '../library.js';

/** A photo's upload nobody has added to for this long is removed, and so is what a finished one became. */
export const BACKUP_UPLOAD_EXPIRY_MS = 3 * 24 * 3600 * 1000;

/** What a finished upload became: its photo, or why it was refused (an error's kind; `unavailable`: the storage was down). */
export type BackupOutcome =
  { status: 'stored'; photoId: string; duplicate: boolean; albumError?: string | null } | { status: 'refused'; error: string; kind: ErrorKind | 'unavailable' };

export interface BackupResult {
  id: string;
  filename: string;
  size: number;
  finishedAt: string;
  outcome: BackupOutcome;
}

const stores = new WeakMap<Resources['settings'], FileStore>();

/** Where this server keeps the photos being uploaded (one file and its `.json` description per upload). */
export function backupUploads(context: Pick<Resources, 'settings'>): FileStore {
  let store = stores.get(context.settings);
  if (!store) {
    store = new FileStore({ directory: path.join(context.settings.dataDir, 'photo-uploads'), expirationPeriodInMilliseconds: BACKUP_UPLOAD_EXPIRY_MS });
    // a size is said up front (the quota and the limit are checked before a byte comes): no deferred length offered
    store.extensions = store.extensions.filter((extension) => extension !== 'creation-defer-length');
    stores.set(context.settings, store);
  }
  return store;
}

const resultsFolder = (context: Pick<Resources, 'settings'>) => path.join(context.settings.dataDir, 'photo-uploads-done');

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** A new upload's id: its owner's, then its own. */
export function newBackupUploadId(lib: Library): string {
  return `${lib.ownerId}_${randomUUID()}`;
}

/** Whether the id names an upload of the view's owner (another user's, or no upload id at all, is not theirs). */
export function isOwnBackupUpload(lib: Library, uploadId: string): boolean {
  const owner = new RegExp(`^(${UUID})_${UUID}$`, 'u').exec(uploadId)?.[1];
  return owner !== undefined && isOwner(lib, owner);
}

/**
 * Whether a photo of `bytes` may be sent: within the per-file limit and, with a storage quota, within what it leaves
 * (the upload's door reserves the bytes again when the file is whole: this refuses before any is sent).
 */
export async function checkBackupRoom(lib: Library, bytes: number): Promise<void> {
  if (bytes > lib.settings.maxUploadBytes)
    throw new UserError('too-large', `file is larger than the upload limit of ${formatBytes(lib.settings.maxUploadBytes)}`);
  const { quota, used } = await ownQuota(lib);
  if (quota !== null && used + bytes > quota) {
    throw new UserError('too-large', `over your storage quota: ${formatBytes(used)} kept of ${formatBytes(quota)}; this file is ${formatBytes(bytes)}`);
  }
}

/** Records what a finished upload became (its bytes are gone by then). */
export async function recordBackupResult(context: Pick<Resources, 'settings'>, result: BackupResult): Promise<void> {
  await fs.mkdir(resultsFolder(context), { recursive: true });
  await fs.writeFile(path.join(resultsFolder(context), `${result.id}.json`), JSON.stringify(result));
}

/** What the user's finished upload became, or null (not finished, expired, or not theirs). */
export async function backupResult(lib: Library, uploadId: string): Promise<BackupResult | null> {
  if (!isOwnBackupUpload(lib, uploadId)) return null;
  const text = await fs.readFile(path.join(resultsFolder(lib), `${uploadId}.json`), 'utf8').catch(() => null);
  return text === null ? null : (JSON.parse(text) as BackupResult);
}

export async function forgetBackupResult(lib: Library, uploadId: string): Promise<void> {
  if (isOwnBackupUpload(lib, uploadId)) await fs.rm(path.join(resultsFolder(lib), `${uploadId}.json`), { force: true });
}

/** Removes uploads given up and what finished ones became, past BACKUP_UPLOAD_EXPIRY_MS; answers how many of each. */
export async function removeExpiredBackupUploads(context: Pick<Resources, 'settings'>, now = Date.now()): Promise<{ uploads: number; results: number }> {
  const uploads = await backupUploads(context).deleteExpired();
  let results = 0;
  const folder = resultsFolder(context);
  for (const name of await fs.readdir(folder).catch(() => [] as string[])) {
    const file = path.join(folder, name);
    const stat = await fs.stat(file).catch(() => null);
    if (stat && now - stat.mtimeMs > BACKUP_UPLOAD_EXPIRY_MS) {
      await fs.rm(file, { force: true });
      results++;
    }
  }
  return { uploads, results };
}
