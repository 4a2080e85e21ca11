// The trash (GET /api/trash): photos deleted from the library, restorable until they are purged.
import { request, type PhotoSummary } from '../api.js';

export type TrashedPhoto = PhotoSummary & {
  favorite: boolean;
  /** When it was moved to the trash (ISO 8601). */
  deletedAt: string;
  /** When it will be deleted for good (ISO 8601); null when the trash is only emptied by hand. */
  expiresAt: string | null;
};

export interface TrashPage {
  items: TrashedPhoto[];
  total: number;
  page: number;
  limit: number;
  /** Days a photo stays in the trash; 0: until emptied by hand. */
  retentionDays: number;
}

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
