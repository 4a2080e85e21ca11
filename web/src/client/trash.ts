// The trash (GET /api/trash): photos deleted from the library, restorable until they are purged.
import type { TrashedPhoto, TrashPage } from '../../../src/api/contract.js';
import { request } from '../api.js';

// The API's own types (type-only: nothing of the server is bundled).
export type { TrashedPhoto, TrashPage };

export function listTrash(page: number, limit: number, signal?: AbortSignal): Promise<TrashPage> {
  const query = new URLSearchParams({ page: String(page), limit: String(limit) });
  return request('GET', `/api/trash?${query}`, { signal });
}

export function restoreFromTrash(ids: readonly string[]): Promise<{ restored: number }> {
  return request('POST', '/api/trash/restore', { body: { ids } });
}

/** Deletes photos in the trash for good: those given, or (without ids) the whole trash. */
export function deleteFromTrash(ids?: readonly string[]): Promise<{ deleted: number }> {
  return request('POST', '/api/trash/empty', { body: ids ? { ids } : {} });
}
