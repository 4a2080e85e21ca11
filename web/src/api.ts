// Typed client for the Shoebox REST API (see /api/docs for the OpenAPI document).
import type { PhotoMetadata } from '../../src/media/types.js';
import type { Provenance } from '../../src/db/schema/creation.js';
import type { Json } from './client/json.js';

export const PHOTO_STATES = ['pending', 'processing', 'completed', 'partial', 'failed'] as const;
export type PhotoState = (typeof PHOTO_STATES)[number];

export const TERMINAL_STATES: readonly string[] = ['completed', 'partial', 'failed'];
export const isTerminal = (state: string): boolean => TERMINAL_STATES.includes(state);

export const STEP_STATUSES = ['pending', 'running', 'done', 'skipped', 'failed'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export interface PhotoSummary {
  id: string;
  state: PhotoState | (string & {});
  filename: string;
  /** As the camera wrote it (ISO 8601, with offset when known), else the file date. */
  takenAt: string | null;
  width: number | null;
  height: number | null;
  mime: string;
  sizeBytes: number;
  make: string | null;
  model: string | null;
  hasGps: boolean;
  /** The thumbnail and preview exist: the photo shows, while `state` says whether its analysis goes on. */
  hasThumbnail: boolean;
  /** The library in place its file is in; null for an uploaded or imported photo. */
  libraryId?: string | null;
  /** Its file is gone from its library in place (kept, shown greyed). */
  offline?: boolean;
  createdAt: string;
}

export interface PhotoPage {
  items: PhotoSummary[];
  total: number;
  page: number;
  limit: number;
}

// The same shape the server and `shoebox inspect` use.
export type { PhotoMetadata };

export interface StepInfo {
  status: StepStatus;
  error: string | null;
  durationMs: number | null;
  version: string | null;
  attempts: number;
}

export interface PaletteColour {
  hex: string;
  /** 0..1 */
  share: number;
}

export interface PhotoDetail extends PhotoSummary {
  /** Whose photo it is; someone else's (a partner's, or in a shared album) is read-only here. */
  owner: { id: string; name: string; you: boolean };
  sha256: string;
  sourcePath: string | null;
  hasSidecar: boolean;
  updatedAt: string;
  metadata: PhotoMetadata;
  pdq: { hash: string; quality: number } | null;
  palette: PaletteColour[] | null;
  steps: Record<string, StepInfo>;
  faces: FaceInfo[];
  tags: { name: string; confidence: number }[];
  categories: string[];
  ocr: { text: string; confidence: number | null; languages: string[] } | null;
  caption: CaptionInfo | null;
  embedding: { model: string; dimensions: number } | null;
  /** `generated` (see provenance) or `camera`. */
  origin?: 'camera' | 'generated';
  /** How a generated image was made; null for a camera photo. */
  provenance?: Json<Provenance> | null;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface FaceInfo {
  id: string;
  photoId: string;
  personId: string | null;
  personName: string | null;
  assignedBy: string | null;
  /** Upright pixel coordinates of the original. */
  box: Box;
  score: number;
}

export interface CaptionInfo {
  caption: string;
  description: string | null;
  primaryCategory: string | null;
  tags: string[];
  sceneType: string | null;
  qualityGrade: string | null;
  qualityReason: string | null;
  /** `provider`, `two-stage`, or `fallback` (composed from the tags). */
  source: string;
  model: string;
}

export type UploadItem =
  | { id: string; filename: string; duplicate: boolean; state: string }
  | { filename: string; error: string; statusCode: number };

export interface UploadResult {
  items: UploadItem[];
  error?: string;
  message?: string;
  statusCode?: number;
}

export interface RetryResult {
  id: string;
  state: string;
  reset: string[];
}

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
    response = await (early ?? fetch(url, {
      method,
      headers: options.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    }));
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'Cannot reach the Shoebox server. Is it running?');
  }
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

export const photoUrls = {
  page: (id: string) => `/photos/${encodeURIComponent(id)}`,
  thumbnail: (id: string) => `/api/photos/${encodeURIComponent(id)}/thumbnail`,
  preview: (id: string) => `/api/photos/${encodeURIComponent(id)}/preview`,
  original: (id: string) => `/api/photos/${encodeURIComponent(id)}/original`,
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
  photoStates(ids: string[], signal?: AbortSignal): Promise<{ states: Record<string, string> }> {
    return request('POST', '/api/photos/states', { body: { ids }, signal });
  },
  retryPhoto(id: string): Promise<RetryResult> {
    return request('POST', `/api/photos/${encodeURIComponent(id)}/retry`);
  },
  deletePhoto(id: string): Promise<void> {
    return request('DELETE', `/api/photos/${encodeURIComponent(id)}`);
  },
};
