// What a backup's upload is, written once for the two that send it: the Back up page (client/backup.ts, with
// tus-js-client) and the service worker finishing it after the page closed (lib/backupSync.ts, with lib/tusFetch.ts).
// Both must make the same upload of the same file: the same address, chunk, metadata and key. Imports nothing, so
// that the worker's bundle takes it as it is.

/** Where backup uploads are made (tus 1.0). */
export const UPLOADS_ENDPOINT = '/api/uploads';

/** The chunk each request carries: small enough to lose little when a phone's connection drops, large enough to go fast. */
export const CHUNK_BYTES = 8 * 1024 * 1024;

/** The Background Sync tag under which the worker finishes what the page left (sw.ts listens for it). */
export const BACKUP_SYNC_TAG = 'shoebox-backup';

/** The `Upload-Metadata` the server reads (api/uploads.ts): the name, its type, the SHA-256 the device computed, the album. */
export function uploadMetadata(
  file: { name: string; type: string; lastModified: number },
  sha256: string | null,
  albumId: string | null,
): Record<string, string> {
  const metadata: Record<string, string> = { filename: file.name, lastModified: String(file.lastModified) };
  if (file.type) metadata.filetype = file.type;
  if (sha256) metadata.sha256 = sha256;
  if (albumId) metadata.albumId = albumId;
  return metadata;
}

/**
 * One file's upload among this browser's: the bytes' hash when known (the same photo chosen from another folder goes on
 * from the same upload), and the album (an unfinished upload into another album is another upload). tus-js-client's
 * fingerprint and the key the worker keeps it under.
 */
export function uploadKey(file: { name: string; size: number; lastModified: number }, sha256: string | null, albumId: string | null): string {
  return ['shoebox-backup', sha256 ?? [file.name, file.size, file.lastModified].join(':'), ...(albumId ? [albumId] : [])].join(':');
}

/** The Web Lock its sender holds (the page or the worker), so that the two never send one file at once. */
export const uploadLock = (key: string) => `shoebox-backup-file:${key}`;
