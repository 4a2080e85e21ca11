// Albums, manual and automatic: list, read, create, rename, delete, add/remove photos, keep/dismiss, regenerate.
import { request } from '../api.js';

// The API's own types (type-only: nothing of the server is bundled), as the JSON carries them.
import type { AlbumDetail, AlbumKind, AlbumList, AlbumSummary, AutoAlbumResult, RegenerateParams, RegenerateResult } from '../../../src/api/contract.js';
export type { AlbumKind, AlbumStatus, AlbumSummary } from '../../../src/api/contract.js';

/** An album with one page of its photos, newest taken first. */
export type { AlbumDetail, AlbumList };

// An automatic album as a regeneration left it; what a regeneration did (counts, its parameters, every active automatic album after it).
export type { AutoAlbumResult, RegenerateResult };
/** Clustering parameters for one regeneration; the server's defaults for those left out. */
export type RegenerateOptions = Partial<RegenerateParams>;

const albumPath = (id: string) => `/api/albums/${encodeURIComponent(id)}`;

/** Albums that are not dismissed, manual first, newest first (limit ≤ 500). */
export function listAlbums(
  options: { kind?: AlbumKind; page?: number; limit?: number; sharing?: 'mine' | 'shared' } = {},
  signal?: AbortSignal,
): Promise<AlbumList> {
  const query = new URLSearchParams({ page: String(options.page ?? 1), limit: String(options.limit ?? 500) });
  if (options.kind) query.set('kind', options.kind);
  if (options.sharing) query.set('sharing', options.sharing);
  return request('GET', `/api/albums?${query}`, { signal });
}

/** Every album that is not dismissed (all pages). */
export async function listAllAlbums(kind?: AlbumKind, signal?: AbortSignal): Promise<AlbumSummary[]> {
  const items: AlbumSummary[] = [];
  for (let page = 1; ; page++) {
    const list = await listAlbums({ kind, page, limit: 500 }, signal);
    items.push(...list.items);
    if (list.items.length === 0 || items.length >= list.total) return items;
  }
}

export function getAlbum(id: string, options: { page?: number; limit?: number } = {}, signal?: AbortSignal): Promise<AlbumDetail> {
  const query = new URLSearchParams({ page: String(options.page ?? 1), limit: String(options.limit ?? 50) });
  return request('GET', `${albumPath(id)}?${query}`, { signal });
}

export function createAlbum(input: { name: string; description?: string | null; photoIds?: string[] }): Promise<AlbumSummary> {
  return request('POST', '/api/albums', { body: input });
}

/** Rename or describe an album, or choose its cover (an automatic album edited this way becomes manual). */
export function updateAlbum(id: string, change: { name?: string; description?: string | null; coverPhotoId?: string | null }): Promise<AlbumSummary> {
  return request('PATCH', albumPath(id), { body: change });
}

export function renameAlbum(id: string, name: string): Promise<AlbumSummary> {
  return updateAlbum(id, { name });
}

/** Deletes the album; its photos stay in the library. */
export function deleteAlbum(id: string): Promise<void> {
  return request('DELETE', albumPath(id));
}

/** Adds photos (those already in it are left alone); `added` counts the new ones. */
export function addPhotosToAlbum(id: string, photoIds: string[]): Promise<{ album: AlbumSummary; added: number }> {
  return request('POST', `${albumPath(id)}/photos`, { body: { ids: photoIds } });
}

/** Takes photos out of the album (they stay in the library); `removed` counts those that were in it. */
export function removePhotosFromAlbum(id: string, photoIds: string[]): Promise<{ album: AlbumSummary; removed: number }> {
  return request('POST', `${albumPath(id)}/photos/remove`, { body: { ids: photoIds } });
}

/** Keeps an automatic album: it becomes manual. */
export function keepAlbum(id: string): Promise<AlbumSummary> {
  return request('POST', `${albumPath(id)}/keep`);
}

/** Dismisses an automatic album: no longer listed, and regenerating does not bring it back. */
export function dismissAlbum(id: string): Promise<AlbumSummary> {
  return request('POST', `${albumPath(id)}/dismiss`);
}

/** Groups alike photos into automatic albums again (409 while another run is going, or without a CLIP model). */
export function regenerateAutoAlbums(options: RegenerateOptions = {}): Promise<RegenerateResult> {
  return request('POST', '/api/albums/auto/regenerate', { body: options });
}

export const albumUrls = {
  page: (id: string) => `/albums/${encodeURIComponent(id)}`,
};
