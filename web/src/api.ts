// Typed client for the Shoebox REST API (see /api/docs for the OpenAPI document).
import {
  PHOTO_STATES,
  STEP_STATUSES,
  TERMINAL_STATES as SERVER_TERMINAL_STATES,
  type PhotoState,
  type StepStatus,
  type Box,
  type CaptionInfo,
  type FaceInfo,
  type PaletteColour,
  type PhotoDetail as ApiPhotoDetail,
  type PhotoMetadata,
  type PhotoPage as ApiPhotoPage,
  type PhotoStates,
  type PhotoSummary as ApiPhotoSummary,
  type Provenance,
  type RetryResult,
  type StepInfo,
  type UploadItem,
  type UploadResult,
} from '../../src/api/contract.js';
import { OFFLINE_REFUSAL } from './lib/offline.js';
import { markReachable, markUnreachable } from './lib/reachable.js';

// The server's own lists (the photo state machine's) and the API's own shapes, so that the two cannot drift apart.
export { PHOTO_STATES, STEP_STATUSES };
export type { PhotoState, StepStatus };
export type { Box, CaptionInfo, FaceInfo, PaletteColour, PhotoStates, Provenance, RetryResult, StepInfo, UploadItem, UploadResult };
// The same shape the server and `shoebox inspect` use.
export type { PhotoMetadata };

/**
 * A photo as the app holds it in lists: the API's, less what a tile built from a search result or a link's page may
 * lack (lists and tiles that need those fields add them, e.g. TimelinePhoto).
 */
type Lenient = 'ownerId' | 'favorite' | 'archived' | 'rating' | 'colour' | 'origin' | 'deletedAt' | 'libraryId' | 'offline';
export type PhotoSummary = Omit<ApiPhotoSummary, Lenient> & Partial<Pick<ApiPhotoSummary, 'libraryId' | 'offline'>>;

export type PhotoPage = Omit<ApiPhotoPage, 'items' | 'offset'> & { items: PhotoSummary[] };

/** GET /api/photos/{id}, the fields the app reads whatever page it came from (PhotoFull adds the rest). */
export type PhotoDetail = Omit<ApiPhotoDetail, Lenient | 'albums' | 'duplicateGroup' | 'provenance'> &
  Partial<Pick<ApiPhotoDetail, 'libraryId' | 'offline' | 'origin' | 'provenance'>>;

export const TERMINAL_STATES: readonly string[] = SERVER_TERMINAL_STATES;
export const isTerminal = (state: string): boolean => TERMINAL_STATES.includes(state);

/** An error answer from the API (or a network failure, with status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** One JSON request to the API; a non-2xx answer becomes an ApiError carrying the server's message. */
declare global {
  interface Window {
    /** Responses index.html asked for before the app's code loaded, by URL (each taken once). */
    __shoeboxEarly?: Map<string, Promise<Response>>;
  }
}

/** The response index.html already asked for this URL, once; later requests ask the server again. */
export function earlyResponse(url: string): Promise<Response> | undefined {
  const early = typeof window === 'undefined' ? undefined : window.__shoeboxEarly;
  const response = early?.get(url);
  early?.delete(url);
  return response;
}

export async function request<T>(method: string, url: string, options: { body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  let response: Response;
  try {
    options.signal?.throwIfAborted();
    const early = method === 'GET' ? earlyResponse(url) : undefined;
    response = await (early ??
      fetch(url, {
        method,
        headers: options.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
      }));
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    markUnreachable();
    throw new ApiError(0, typeof navigator !== 'undefined' && !navigator.onLine ? OFFLINE_REFUSAL : 'Cannot reach the Shoebox server. Is it running?');
  }
  // an answer the service worker kept (sw.ts) is what it gives when the server did not answer
  if (response.headers.has('x-offline-at')) markUnreachable();
  else markReachable();
  // The session ended (signed out elsewhere, expired, revoked): the page loads again, which asks to sign in.
  if (response.status === 401 && !url.startsWith('/api/auth/') && !url.startsWith('/api/s/')) window.location.reload();
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text for the message
  }
  if (!response.ok) {
    const message =
      body && typeof body === 'object' && 'message' in body && typeof body.message === 'string'
        ? body.message
        : `${response.status} ${response.statusText || 'error'}`;
    throw new ApiError(response.status, message);
  }
  return body as T;
}

/**
 * Photos edited in this page's life, with a version for their renditions' URLs: an edit makes new renditions under
 * the same address, which the server has every page load revalidate, but a page reuses an image it has already
 * loaded under the same URL without asking.
 */
const renditionVersions = new Map<string, string>();
/** Marks a photo's renditions as new: after an edit, and again with when they were made from it (`stamp`). */
export function renditionsChanged(id: string, stamp: string = String(Date.now())): void {
  renditionVersions.set(id, stamp);
}
/** Whether the photo was edited in this page's life (its renditions' URLs carry a version). */
export const renditionsVersioned = (id: string) => renditionVersions.has(id);
const versioned = (id: string, url: string) => {
  const version = renditionVersions.get(id);
  return version === undefined ? url : `${url}?v=${encodeURIComponent(version)}`;
};

export const photoUrls = {
  page: (id: string) => `/photos/${encodeURIComponent(id)}`,
  thumbnail: (id: string) => versioned(id, `/api/photos/${encodeURIComponent(id)}/thumbnail`),
  preview: (id: string) => versioned(id, `/api/photos/${encodeURIComponent(id)}/preview`),
  uneditedPreview: (id: string) => `/api/photos/${encodeURIComponent(id)}/unedited-preview`,
  original: (id: string) => `/api/photos/${encodeURIComponent(id)}/original`,
  video: (id: string) => versioned(id, `/api/photos/${encodeURIComponent(id)}/video`),
  face: (faceId: string) => `/api/faces/${encodeURIComponent(faceId)}/thumbnail`,
};

export const api = {
  listPhotos(page: number, limit: number, signal?: AbortSignal): Promise<PhotoPage> {
    const query = new URLSearchParams({ page: String(page), limit: String(limit) });
    return request('GET', `/api/photos?${query}`, { signal });
  },
  getPhoto(id: string, signal?: AbortSignal): Promise<PhotoDetail> {
    return request('GET', `/api/photos/${encodeURIComponent(id)}`, { signal });
  },
  photoStates(ids: string[], signal?: AbortSignal): Promise<PhotoStates> {
    return request('POST', '/api/photos/states', { body: { ids }, signal });
  },
  retryPhoto(id: string): Promise<RetryResult> {
    return request('POST', `/api/photos/${encodeURIComponent(id)}/retry`);
  },
  deletePhoto(id: string): Promise<void> {
    return request('DELETE', `/api/photos/${encodeURIComponent(id)}`);
  },
};
