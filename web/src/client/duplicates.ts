// Duplicate and burst groups waiting for review (GET /api/duplicates), and the two ways to settle one.
import { request } from '../api.js';

// The API's own types (type-only: nothing of the server is bundled), as the JSON carries them.
import type { DuplicateGroupPage, GroupKind } from '../../../src/api/contract.js';
export type { DuplicateGroup, GroupKind, GroupMember } from '../../../src/api/contract.js';

export const GROUP_KINDS = ['duplicate', 'burst'] as const satisfies readonly GroupKind[];

export type { DuplicateGroupPage };

export function listDuplicateGroups(options: { kind?: GroupKind; page?: number; limit?: number }, signal?: AbortSignal): Promise<DuplicateGroupPage> {
  const query = new URLSearchParams({ page: String(options.page ?? 1), limit: String(options.limit ?? 50) });
  if (options.kind) query.set('kind', options.kind);
  return request('GET', `/api/duplicates?${query}`, { signal });
}

/**
 * Keeps `keep`, moves the group's other photos to the trash (after merging favourite, rating, tags and albums into the
 * kept ones). `trash` names those the user chose to trash although no kept photo makes them redundant (the server
 * refuses to trash any other such photo).
 */
export function resolveDuplicateGroup(id: string, keep: readonly string[], trash: readonly string[] = []): Promise<{ kept: string[]; trashed: string[] }> {
  return request('POST', `/api/duplicates/${encodeURIComponent(id)}/resolve`, { body: trash.length ? { keep, trash } : { keep } });
}

/** "Not duplicates": the group goes and its photos are never grouped together again. */
export function dismissDuplicateGroup(id: string): Promise<{ dismissed: number }> {
  return request('POST', `/api/duplicates/${encodeURIComponent(id)}/dismiss`);
}
