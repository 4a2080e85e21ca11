// Duplicate and burst groups waiting for review (GET /api/duplicates), and the two ways to settle one.
import { request, type PhotoSummary } from '../api.js';

export const GROUP_KINDS = ['duplicate', 'burst'] as const;
export type GroupKind = (typeof GROUP_KINDS)[number];

export type GroupPhoto = PhotoSummary & { favorite: boolean; deletedAt: string | null };

export interface GroupMember {
  photo: GroupPhoto;
  /** What put the photo in the group: `pdq` (perceptual hash), `clip` (embedding), `burst` (capture time). */
  tier: string;
  /** The photo it was compared with (another member). */
  matchedPhotoId: string | null;
  /** PDQ Hamming distance in bits, 0–256 (≤ 31 is the same picture). */
  pdqDistance: number | null;
  /** `original`, or the rotation/mirror of this photo that matched. */
  pdqOrientation: string | null;
  /** CLIP cosine similarity. */
  similarity: number | null;
  suggestedKeeper: boolean;
}

export interface DuplicateGroup {
  id: string;
  kind: GroupKind;
  keeperId: string | null;
  createdAt: string;
  updatedAt: string;
  /** The suggested keeper first, then the closest matches. */
  members: GroupMember[];
}

export interface DuplicateGroupPage {
  items: DuplicateGroup[];
  total: number;
  page: number;
  limit: number;
}

export function listDuplicateGroups(
  options: { kind?: GroupKind; page?: number; limit?: number },
  signal?: AbortSignal,
): Promise<DuplicateGroupPage> {
  const query = new URLSearchParams({ page: String(options.page ?? 1), limit: String(options.limit ?? 50) });
  if (options.kind) query.set('kind', options.kind);
  return request('GET', `/api/duplicates?${query}`, { signal });
}

/** Keeps `keep`, moves the group's other photos to the trash (after merging favourite, rating, tags and albums into the kept ones). */
export function resolveDuplicateGroup(id: string, keep: readonly string[]): Promise<{ kept: string[]; trashed: string[] }> {
  return request('POST', `/api/duplicates/${encodeURIComponent(id)}/resolve`, { body: { keep } });
}

/** "Not duplicates": the group goes and its photos are never grouped together again. */
export function dismissDuplicateGroup(id: string): Promise<{ dismissed: number }> {
  return request('POST', `/api/duplicates/${encodeURIComponent(id)}/dismiss`);
}
