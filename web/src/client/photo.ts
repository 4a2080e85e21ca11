// One photo as the photo page shows it: the detail with favourite, rating, albums and duplicate group; changes
// to it (favourite, rating); the photos related to it (its duplicate group, photos that look like it).
import { request, type PhotoDetail, type PhotoSummary } from '../api.js';

export interface PhotoAlbumRef {
  id: string;
  name: string;
  /** `manual` (made or kept by the user) or `auto` (from clustering the photos). */
  kind: 'manual' | 'auto' | (string & {});
}

/** The review group the photo is in (duplicates waiting for review, or a burst), as the detail names it. */
export interface PhotoDuplicateGroupRef {
  id: string;
  kind: 'duplicate' | 'burst' | (string & {});
  /** What put the photo in the group: `pdq`, `clip`, `burst`. */
  tier: string | null;
  /** The suggested keeper. */
  keeperId: string | null;
  /** Photos in the group, this one included. */
  size: number;
}

/** Where the photo was taken, in words. */
export interface PlaceInfo {
  city: string | null;
  /** State, province or region. */
  state: string | null;
  country: string | null;
  countryCode: string | null;
  /** `metadata`: the file's own IPTC/XMP location; `geocoded`: the nearest town to its GPS position. */
  source: 'metadata' | 'geocoded' | (string & {});
}

/** GET /api/photos/:id. The newer fields are optional so that the page still works against an older server. */
export interface PhotoFull extends PhotoDetail {
  metadata: PhotoDetail['metadata'] & { place?: PlaceInfo | null };
  favorite?: boolean;
  /** The user's rating, 1–5, or null (unrated). */
  rating?: number | null;
  albums?: PhotoAlbumRef[];
  duplicateGroup?: PhotoDuplicateGroupRef | null;
  deletedAt?: string | null;
}

/** A photo in a list (search results, group members): the summary plus the list fields. */
export interface ListedPhoto extends PhotoSummary {
  favorite?: boolean;
  deletedAt?: string | null;
}

export interface DuplicateMember {
  photo: ListedPhoto;
  tier: string;
  matchedPhotoId: string | null;
  /** PDQ Hamming distance in bits (≤ 31 is the same picture). */
  pdqDistance: number | null;
  pdqOrientation: string | null;
  /** CLIP cosine similarity. */
  similarity: number | null;
  suggestedKeeper: boolean;
}

export interface DuplicateGroupDetail {
  id: string;
  kind: 'duplicate' | 'burst' | (string & {});
  keeperId: string | null;
  createdAt: string;
  updatedAt: string;
  members: DuplicateMember[];
}

export interface SimilarPhotos {
  source: { photoId?: string; filename?: string };
  items: { photo: ListedPhoto; similarity: number; rank: number }[];
}

const photoPath = (id: string) => `/api/photos/${encodeURIComponent(id)}`;

export function getPhoto(id: string, signal?: AbortSignal): Promise<PhotoFull> {
  return request('GET', photoPath(id), { signal });
}

/** Favourite (or not) and/or rate one photo (rating 1–5, or null to clear it); answers the updated detail. */
export function updatePhoto(id: string, change: { favorite?: boolean; rating?: number | null }): Promise<PhotoFull> {
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
  /** The search page listing photos like this one. */
  similarSearch: (id: string) => `/search?similar=${encodeURIComponent(id)}`,
  /** The duplicates page, opened at this group. */
  duplicateGroup: (groupId: string) => `/duplicates?group=${encodeURIComponent(groupId)}`,
  album: (id: string) => `/albums/${encodeURIComponent(id)}`,
  person: (id: string) => `/people/${encodeURIComponent(id)}`,
};
