// A backup (issue 63 item 3): which of the chosen files the library has already (by the SHA-256 hashed on the device),
// then each new one sent with the tus resumable-upload protocol to /api/uploads, going on from the last byte the
// server has after a dropped connection or a reload (tus-js-client's fingerprint, kept in localStorage).
import type { BackupUploadInfo } from '../../../src/api/contract.js';
import { request } from '../api.js';
import { CHUNK_BYTES, UPLOADS_ENDPOINT, uploadKey, uploadMetadata } from '../lib/backupUpload.js';
import { untilOnline } from '../lib/online.js';
import { sendResumable } from './tus.js';

export type { BackupUploadInfo };

/** The most hashes one question may carry (the server's bound). */
const KNOWN_BATCH = 10_000;

/** Which of these SHA-256s the library has already (its own photos, the trash included). */
export async function knownHashes(hashes: readonly string[], signal?: AbortSignal): Promise<Set<string>> {
  const known = new Set<string>();
  for (let start = 0; start < hashes.length; start += KNOWN_BATCH) {
    const answer = await request<{ known: string[] }>('POST', '/api/uploads/known', { body: { sha256: hashes.slice(start, start + KNOWN_BATCH) }, signal });
    for (const hash of answer.known) known.add(hash);
  }
  return known;
}

/** Where an upload of the file stands when it goes: the address the service worker made of it, and who hears a new one. */
export interface UploadPlace {
  url: string | null;
  onUrl: (url: string) => void;
}

/**
 * Sends one file into the library (and into `albumId` when given); resolves with what it became (its photo, or the one with the same bytes), rejects
 * with the server's reason when it was refused. `onProgress` gets the bytes the server has.
 */
export async function sendToLibrary(
  file: File,
  sha256: string | null,
  onProgress: (sent: number) => void,
  signal: AbortSignal,
  albumId: string | null = null,
  place: UploadPlace = { url: null, onUrl: () => {} },
): Promise<BackupUploadInfo> {
  const { upload } = await sendResumable(
    file,
    {
      endpoint: UPLOADS_ENDPOINT,
      chunkSize: CHUNK_BYTES,
      metadata: uploadMetadata(file, sha256, albumId),
      // the same key as the service worker's (lib/backupUpload.ts), and its upload when it made one
      fingerprint: async (f) => uploadKey(f as File, sha256, albumId),
      ...(place.url ? { uploadUrl: place.url } : {}),
      removeFingerprintOnSuccess: true,
      onProgress: (sent) => onProgress(sent),
    },
    signal,
    place.onUrl,
  );
  const id = decodeURIComponent(upload.url?.split('/').pop() ?? '');
  // the file is through: a connection lost before this answer asks again once back online, never sends the file again
  // (its upload is forgotten on success, so sending it again would be a new upload of the whole file)
  return untilOnline(() => whatItBecame(id, signal), signal);
}

/** How long to wait for a whole upload that the server is still taking in (its last request's work goes on). */
const TAKING_IN_MS = 120_000;

/**
 * What a whole upload became: stored or refused. One the server still takes in is asked again until it says; never
 * counted done before (a photo the page said was backed up must be in the library).
 */
async function whatItBecame(id: string, signal: AbortSignal): Promise<BackupUploadInfo> {
  const until = Date.now() + TAKING_IN_MS;
  for (;;) {
    const info = await request<BackupUploadInfo>('GET', `/api/uploads/${encodeURIComponent(id)}`, { signal });
    if (info.status !== 'uploading') return info;
    if (info.size === null || info.received < info.size)
      throw new Error(`the server has ${info.received} of its ${info.size ?? '?'} bytes: choose it again to go on`);
    if (Date.now() > until) throw new Error('the server has every byte but did not say what it became: choose it again to check');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    signal.throwIfAborted();
  }
}
