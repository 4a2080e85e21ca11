// One photo as the photo page shows it: the detail with favourite, rating, albums and duplicate group; changes
// to it (favourite, rating); the photos related to it (its duplicate group, photos that look like it).
import type {
  DuplicateGroup,
  GroupMember,
  PhotoAlbumRef,
  PhotoDetail as ApiPhotoDetail,
  PhotoDuplicateGroupRef,
  PhotoSummary as ApiPhotoSummary,
  PlaceInfo,
  SimilarResult,
} from '../../../src/api/contract.js';
import { request } from '../api.js';

// The API's own types (type-only: nothing of the server is bundled).
export type { PhotoAlbumRef, PhotoDuplicateGroupRef, PlaceInfo };

/** GET /api/photos/:id: the detail with favourite, rating, albums, duplicate group and place. */
export type PhotoFull = ApiPhotoDetail;

/** A photo in a list (similar photos, group members): the API's whole list item. */
export type ListedPhoto = ApiPhotoSummary;

/** A duplicate or burst group with each member's evidence (GET /api/duplicates/{id}). */
export type DuplicateGroupDetail = DuplicateGroup;
export type DuplicateMember = GroupMember;

/** Photos that look like one (POST /api/search/similar). */
export type SimilarPhotos = SimilarResult;

const photoPath = (id: string) => `/api/photos/${encodeURIComponent(id)}`;

export function getPhoto(id: string, signal?: AbortSignal): Promise<PhotoFull> {
  return request('GET', photoPath(id), { signal });
}

/** Favourite (or not) and/or rate one photo (rating 1–5, or null to clear it); answers the updated detail. */
export function updatePhoto(id: string, change: { favorite?: boolean; rating?: number | null; archived?: boolean }): Promise<PhotoFull> {
  return request('PATCH', photoPath(id), { body: change });
}

/** A duplicate or burst group with each member's evidence. */
export function getDuplicateGroup(id: string, signal?: AbortSignal): Promise<DuplicateGroupDetail> {
  return request('GET', `/api/duplicates/${encodeURIComponent(id)}`, { signal });
}

/**
 * Photos that look like this one, most alike first (the photo itself is left out). 409 without a CLIP model or
 * while the photo has no embedding yet: the error carries the server's reason.
 */
export function similarPhotos(id: string, limit = 12, signal?: AbortSignal): Promise<SimilarPhotos> {
  return request('POST', `/api/search/similar?limit=${limit}`, { body: { photoId: id }, signal });
}

export const photoLinks = {
  /** The original as a download (Content-Disposition: attachment). */
  download: (id: string) => `${photoPath(id)}/original?download=1`,
  /** A Live Photo's MOV, or a motion photo's embedded MP4, as a download. */
  downloadMotion: (id: string) => `${photoPath(id)}/original?part=motion&download=1`,
  /** The search page listing photos like this one. */
  similarSearch: (id: string) => `/search?similar=${encodeURIComponent(id)}`,
  /** The search page with these words. */
  search: (text: string) => `/search?q=${encodeURIComponent(text)}`,
  /** The duplicates page, opened at this group. */
  duplicateGroup: (groupId: string) => `/duplicates?group=${encodeURIComponent(groupId)}`,
  album: (id: string) => `/albums/${encodeURIComponent(id)}`,
  person: (id: string) => `/people/${encodeURIComponent(id)}`,
};

export type PhotoEdit = NonNullable<PhotoFull['edit']>;

/** Rotates and crops a photo (its original stays as it is); null takes it back to the original. */
export function savePhotoEdit(id: string, edit: PhotoEdit | null): Promise<{ edit: PhotoEdit | null; width: number; height: number; changed: boolean }> {
  return edit ? request('PUT', `${photoPath(id)}/edit`, { body: edit }) : request('DELETE', `${photoPath(id)}/edit`);
}
