// Imports from other services (Google Takeout, iCloud): the import made on the server, its archives sent with the
// tus resumable-upload protocol (tus-js-client: an upload cut off goes on from where the server has it, also after a
// reload when the same file is chosen again), then started and followed.
import type { ImportInfo } from '../../../src/api/contract.js';
import { request } from '../api.js';
import { sendResumable } from './tus.js';

export type { ImportInfo };
export type ImportSource = ImportInfo['source'];

export const listImports = (signal?: AbortSignal) => request<{ items: ImportInfo[] }>('GET', '/api/imports', { signal });
export const getImport = (id: string, signal?: AbortSignal) => request<ImportInfo>('GET', `/api/imports/${encodeURIComponent(id)}`, { signal });
export const createImport = (source: ImportSource) => request<ImportInfo>('POST', '/api/imports', { body: { source } });
export const startImport = (id: string) => request<ImportInfo>('POST', `/api/imports/${encodeURIComponent(id)}/start`);
export const removeImport = (id: string) => request<void>('DELETE', `/api/imports/${encodeURIComponent(id)}`);

/** Takes one archive out of an import (tus termination): a wrong file, or a partial one sent from elsewhere. */
export async function removeArchive(uploadId: string): Promise<void> {
  const response = await fetch(`/api/imports/uploads/${encodeURIComponent(uploadId)}`, { method: 'DELETE', headers: { 'tus-resumable': '1.0.0' } });
  if (response.ok) return;
  // the route's refusal is JSON with a message; tus's own is text
  const text = await response.text().catch(() => '');
  let reason = text.trim();
  try {
    reason = (JSON.parse(text) as { message?: string }).message ?? reason;
  } catch {
    // text as it came
  }
  throw new Error(reason || `the archive was not taken out (${response.status})`);
}

/** The chunk each request carries: small enough to lose little when cut off, large enough to go fast. */
const CHUNK_BYTES = 32 * 1024 * 1024;

/**
 * Sends one archive into the import, going on from an earlier upload of the same file into it when there is one.
 * Resolves when the server has it whole; `onProgress` gets the bytes the server has.
 */
export async function sendArchive(importId: string, file: File, onProgress: (sent: number) => void, signal: AbortSignal): Promise<void> {
  await sendResumable(
    file,
    {
      endpoint: '/api/imports/uploads',
      chunkSize: CHUNK_BYTES,
      metadata: { importId, filename: file.name },
      // the import's id in the fingerprint: the same file chosen for another import is another upload
      fingerprint: async (f) => ['shoebox-import', importId, (f as File).name, (f as File).size, (f as File).lastModified].join(':'),
      // kept: choosing the same file again for this import finds it whole, and nothing is sent
      removeFingerprintOnSuccess: false,
      onProgress: (sent) => onProgress(sent),
    },
    signal,
  );
}
