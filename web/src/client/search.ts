// Search: by words and meaning (GET /api/search), by image (POST /api/search/similar), suggestions as you type
// (GET /api/search/suggest), and the lists the filters offer (categories, people).
import { ApiError, request, type PhotoSummary } from '../api.js';

export const SEARCH_MODES = ['hybrid', 'keyword', 'semantic'] as const;
export type SearchMode = (typeof SEARCH_MODES)[number];

export const SUGGESTION_KINDS = ['tag', 'person', 'place', 'camera', 'album'] as const;
export type SuggestionKind = (typeof SUGGESTION_KINDS)[number];

/** The fields the keyword arm searches, as the API names them. */
export type SearchField = 'tags' | 'people' | 'places' | 'albums' | 'keywords' | 'caption' | 'ocr' | 'filename' | 'camera';

/** Filters both arms apply before ranking (the API's query parameters of the same names). */
export interface SearchFilters {
  categories?: string[];
  people?: string[];
  /** 'YYYY-MM-DD', inclusive. */
  from?: string;
  to?: string;
  camera?: string;
  place?: string;
  album?: string;
  hasLocation?: boolean;
  /** Favourites only. */
  favorite?: boolean;
  /** Rated at least this many stars (1–5). */
  minRating?: number;
  hideDuplicates?: boolean;
}

export interface SearchPhoto extends PhotoSummary {
  favorite: boolean;
  deletedAt: string | null;
}

export interface KeywordExplanation {
  rank: number;
  score: number;
  /** Found by trigram similarity (a typo, part of a word), not by the full text. */
  fuzzy: boolean;
  matches: { field: SearchField; words: string[] }[];
}

export interface SemanticExplanation {
  rank: number;
  /** Cosine similarity of the photo's CLIP embedding to the query's. */
  similarity: number;
}

export interface SearchHit {
  photo: SearchPhoto;
  /** Reciprocal Rank Fusion score. */
  score: number;
  explanation: {
    keyword: KeywordExplanation | null;
    semantic: SemanticExplanation | null;
    /** Found only through a similar spelling while the words as typed found other photos: listed after them. */
    closeMatch: boolean;
  };
}

export interface SearchResult {
  items: SearchHit[];
  total: number;
  page: number;
  limit: number;
  /** The mode that ran: hybrid falls back to keyword without a CLIP model. */
  mode: SearchMode;
  requestedMode: SearchMode;
  /** Library terms that look like the words typed (typos), also searched for. */
  alternatives: { label: string; similarity: number }[];
  /** Why the results may differ from what was asked. */
  notices: string[];
}

export interface SimilarHit {
  photo: SearchPhoto;
  similarity: number;
  rank: number;
}

export interface SimilarResult {
  source: { photoId?: string; filename?: string };
  items: SimilarHit[];
}

export interface Suggestion {
  kind: SuggestionKind;
  label: string;
  /** The person's or album's id; the lower-case term otherwise. */
  key: string;
  photos: number;
  match: 'prefix' | 'word' | 'similar';
}

export interface Category {
  id: string;
  name: string;
  label: string;
  tags: string[];
  photoCount: number;
}

export interface PersonChoice {
  id: string;
  name: string | null;
  hidden: boolean;
  faceCount: number;
  photoCount: number;
  coverFaceId: string | null;
}

/** The query parameters for a set of filters (lists comma-separated, false/empty left out). */
export function filterParams(filters: SearchFilters): URLSearchParams {
  const query = new URLSearchParams();
  if (filters.categories?.length) query.set('categories', filters.categories.join(','));
  if (filters.people?.length) query.set('people', filters.people.join(','));
  if (filters.from) query.set('from', filters.from);
  // `to` is inclusive of the whole day: the API compares instants.
  if (filters.to) query.set('to', `${filters.to}T23:59:59.999Z`);
  if (filters.camera) query.set('camera', filters.camera);
  if (filters.place) query.set('place', filters.place);
  if (filters.album) query.set('album', filters.album);
  if (filters.hasLocation) query.set('hasLocation', 'true');
  if (filters.favorite) query.set('favorite', 'true');
  if (filters.minRating) query.set('minRating', String(filters.minRating));
  if (filters.hideDuplicates) query.set('hideDuplicates', 'true');
  return query;
}

export function searchPhotos(
  params: { q: string; mode: SearchMode; page: number; limit: number; filters: SearchFilters },
  signal?: AbortSignal,
): Promise<SearchResult> {
  const query = filterParams(params.filters);
  query.set('q', params.q);
  query.set('mode', params.mode);
  query.set('page', String(params.page));
  query.set('limit', String(params.limit));
  return request('GET', `/api/search?${query}`, { signal });
}

export function similarToPhoto(photoId: string, options: { limit: number; filters: SearchFilters }, signal?: AbortSignal): Promise<SimilarResult> {
  const query = filterParams(options.filters);
  query.set('limit', String(options.limit));
  return request('POST', `/api/search/similar?${query}`, { body: { photoId }, signal });
}

/** Photos that look like an image from the user's computer (embedded by the server, not stored). */
export async function similarToFile(file: File, options: { limit: number; filters: SearchFilters }, signal?: AbortSignal): Promise<SimilarResult> {
  const query = filterParams(options.filters);
  query.set('limit', String(options.limit));
  const form = new FormData();
  form.append('file', file, file.name);
  let response: Response;
  try {
    response = await fetch(`/api/search/similar?${query}`, { method: 'POST', headers: { accept: 'application/json' }, body: form, signal });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'Cannot reach the Shoebox server. Is it running?');
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const message =
      body && typeof body === 'object' && 'message' in body && typeof body.message === 'string' ? body.message : `${response.status} ${response.statusText || 'error'}`;
    throw new ApiError(response.status, message);
  }
  return body as SimilarResult;
}

export async function suggest(q: string, limit: number, signal?: AbortSignal, kinds?: SuggestionKind[]): Promise<Suggestion[]> {
  const query = new URLSearchParams({ q, limit: String(limit) });
  if (kinds?.length) query.set('kinds', kinds.join(','));
  return (await request<{ items: Suggestion[] }>('GET', `/api/search/suggest?${query}`, { signal })).items;
}

export async function listCategories(signal?: AbortSignal): Promise<Category[]> {
  return (await request<{ items: Category[] }>('GET', '/api/categories', { signal })).items;
}

/** Everyone a search can be narrowed to: named people first, then by number of faces. */
export async function listPeopleForFilter(signal?: AbortSignal): Promise<PersonChoice[]> {
  return (await request<{ items: PersonChoice[] }>('GET', '/api/people?limit=500', { signal })).items;
}

/** An album's name (for its filter chip). */
export async function albumName(id: string, signal?: AbortSignal): Promise<string> {
  return (await request<{ name: string }>('GET', `/api/albums/${encodeURIComponent(id)}?limit=1`, { signal })).name;
}

/** The install command a "needs a CLIP model" message names (`shoebox models pull NAME`), if any. */
export function installCommandIn(message: string): string | null {
  return /shoebox models pull [\w.-]+/.exec(message)?.[0] ?? null;
}
