// Search: by words and meaning (GET /api/search), by image (POST /api/search/similar), suggestions as you type
// (GET /api/search/suggest), and the lists the filters offer (categories, people).
import {
  SEARCH_MODES,
  SUGGESTION_KINDS,
  type SearchField,
  type SearchMode,
  type SuggestionKind,
  type Category,
  type CategoryList,
  type KeywordExplanation,
  type PeopleList,
  type Person,
  type SearchHit,
  type SearchPhoto,
  type SearchResult,
  type SemanticExplanation,
  type SimilarHit,
  type SimilarResult,
  type Suggestion,
  type SuggestResult,
} from '../../../src/api/contract.js';
import { ApiError, request } from '../api.js';

// The server's own lists and the API's own shapes (src/api/contract.ts), so that the two cannot drift apart.
export { SEARCH_MODES, SUGGESTION_KINDS };
export type { SearchField, SearchMode, SuggestionKind };
export type { Category, KeywordExplanation, SearchHit, SearchPhoto, SearchResult, SemanticExplanation, SimilarHit, SimilarResult, Suggestion };
/** How the server understood a query (people, places, dates…): shown as chips the user can take out. */
export type Understood = NonNullable<SearchResult['understood']>;
/** Someone a search can be narrowed to (GET /api/people). */
export type PersonChoice = Person;

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

/** The browser's time zone: "last summer" and "this weekend" are the user's. */
export function userTimeZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
  } catch {
    return undefined;
  }
}

export function searchPhotos(
  params: { q: string; mode: SearchMode; page: number; limit: number; filters: SearchFilters; exact?: boolean },
  signal?: AbortSignal,
): Promise<SearchResult> {
  const query = filterParams(params.filters);
  query.set('q', params.q);
  if (params.exact) query.set('understand', 'false');
  const tz = userTimeZone();
  if (tz) query.set('tz', tz);
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
      body && typeof body === 'object' && 'message' in body && typeof body.message === 'string'
        ? body.message
        : `${response.status} ${response.statusText || 'error'}`;
    throw new ApiError(response.status, message);
  }
  return body as SimilarResult;
}

export async function suggest(q: string, limit: number, signal?: AbortSignal, kinds?: SuggestionKind[]): Promise<Suggestion[]> {
  const query = new URLSearchParams({ q, limit: String(limit) });
  if (kinds?.length) query.set('kinds', kinds.join(','));
  return (await request<SuggestResult>('GET', `/api/search/suggest?${query}`, { signal })).items;
}

export async function listCategories(signal?: AbortSignal): Promise<Category[]> {
  return (await request<CategoryList>('GET', '/api/categories', { signal })).items;
}

/** Everyone a search can be narrowed to: named people first, then by number of faces. */
export async function listPeopleForFilter(signal?: AbortSignal): Promise<PersonChoice[]> {
  return (await request<PeopleList>('GET', '/api/people?limit=500', { signal })).items;
}

/** An album's name (for its filter chip). */
export async function albumName(id: string, signal?: AbortSignal): Promise<string> {
  return (await request<{ name: string }>('GET', `/api/albums/${encodeURIComponent(id)}?limit=1`, { signal })).name;
}

/** The install command a "needs a CLIP model" message names (`shoebox models pull NAME`), if any. */
export function installCommandIn(message: string): string | null {
  return /shoebox models pull [\w.-]+/.exec(message)?.[0] ?? null;
}
