// The search page's whole state lives in its URL (/search?q=…&mode=…&…), so that reload, Back and a shared link
// all show the same search. These functions read and write that URL; the names match the API's where they can.
import { SEARCH_MODES, type SearchFilters, type SearchMode, type Suggestion } from '../../client/search.js';

export interface SearchState {
  q: string;
  mode: SearchMode;
  filters: SearchFilters;
  /** Photos like this library photo (a "find similar" link from a photo page). */
  similar: string | null;
  /** Photos like an image dropped or picked on the page (a token for the file kept in memory). */
  image: string | null;
  /** How many pages of results are shown ("Show more" adds one). */
  pages: number;
  /** Search the words exactly as typed: nothing in them read as people, places, dates… (`exact=1`). */
  exact?: boolean;
}

/** What the page shows: photos like a library photo, like an image, matching words, or where to start. */
export type SearchKind = 'similar' | 'image' | 'text' | 'start';

export const searchKind = (state: SearchState): SearchKind => (state.similar ? 'similar' : state.image ? 'image' : state.q ? 'text' : 'start');

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const list = (value: string | null) =>
  (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
const flag = (value: string | null) => value === '1' || value === 'true';

export function parseSearch(search: string): SearchState {
  const params = new URLSearchParams(search);
  const mode = params.get('mode');
  const from = params.get('from');
  const to = params.get('to');
  const pages = Number(params.get('pages'));
  const rating = Number(params.get('rating'));
  const filters: SearchFilters = {
    categories: list(params.get('categories')),
    people: list(params.get('people')),
    from: from && DATE.test(from) ? from : undefined,
    to: to && DATE.test(to) ? to : undefined,
    camera: params.get('camera')?.trim() || undefined,
    place: params.get('place')?.trim() || undefined,
    album: params.get('album') || undefined,
    hasLocation: flag(params.get('hasLocation')) || undefined,
    favorite: flag(params.get('favorite')) || undefined,
    minRating: Number.isInteger(rating) && rating >= 1 && rating <= 5 ? rating : undefined,
    hideDuplicates: flag(params.get('hideDuplicates')) || undefined,
  };
  return {
    q: params.get('q')?.trim() ?? '',
    mode: SEARCH_MODES.includes(mode as SearchMode) ? (mode as SearchMode) : 'hybrid',
    filters,
    similar: params.get('similar') || null,
    image: params.get('image') || null,
    pages: Number.isInteger(pages) && pages > 1 ? Math.min(pages, 20) : 1,
    exact: flag(params.get('exact')) || undefined,
  };
}

/** The URL of a search state; defaults (hybrid, page 1, no filter) are left out so that links stay short. */
export function searchHref(state: SearchState): string {
  const params = new URLSearchParams();
  if (state.similar) params.set('similar', state.similar);
  else if (state.image) params.set('image', state.image);
  else if (state.q) params.set('q', state.q);
  if (state.mode !== 'hybrid' && !state.similar && !state.image) params.set('mode', state.mode);
  const f = state.filters;
  if (f.categories?.length) params.set('categories', f.categories.join(','));
  if (f.people?.length) params.set('people', f.people.join(','));
  if (f.from) params.set('from', f.from);
  if (f.to) params.set('to', f.to);
  if (f.camera) params.set('camera', f.camera);
  if (f.place) params.set('place', f.place);
  if (f.album) params.set('album', f.album);
  if (f.hasLocation) params.set('hasLocation', '1');
  if (f.favorite) params.set('favorite', '1');
  if (f.minRating) params.set('rating', String(f.minRating));
  if (f.hideDuplicates) params.set('hideDuplicates', '1');
  if (state.exact && state.q) params.set('exact', '1');
  if (state.pages > 1) params.set('pages', String(state.pages));
  const query = params.toString();
  return query ? `/search?${query}` : '/search';
}

export const emptyState: SearchState = { q: '', mode: 'hybrid', filters: {}, similar: null, image: null, pages: 1 };

/** How many filters are set (each list entry counts). */
export function filterCount(filters: SearchFilters): number {
  return (
    (filters.categories?.length ?? 0) +
    (filters.people?.length ?? 0) +
    (filters.from || filters.to ? 1 : 0) +
    (filters.camera ? 1 : 0) +
    (filters.place ? 1 : 0) +
    (filters.album ? 1 : 0) +
    (filters.hasLocation ? 1 : 0) +
    (filters.favorite ? 1 : 0) +
    (filters.minRating ? 1 : 0) +
    (filters.hideDuplicates ? 1 : 0)
  );
}

/** A new text search from `current` (the search page's state, or none elsewhere): mode and filters carry over. */
export function textSearch(q: string, current: SearchState | null): SearchState {
  return { ...(current ?? emptyState), q: q.trim(), similar: null, image: null, pages: 1 };
}

/**
 * Where a suggestion leads: a fresh search (only the mode carries over) for its label, and a person, album,
 * camera or place also becomes a filter, so that the results are exactly that person's/album's/… photos and
 * stay so when the words change ("Anna" → "beach" keeps Anna).
 */
export function suggestionSearch(suggestion: Suggestion, current: SearchState | null): SearchState {
  const filters: SearchFilters = {};
  if (suggestion.kind === 'person') filters.people = [suggestion.key];
  if (suggestion.kind === 'album') filters.album = suggestion.key;
  if (suggestion.kind === 'camera') filters.camera = suggestion.label;
  if (suggestion.kind === 'place') filters.place = suggestion.label;
  return { ...emptyState, mode: current?.mode ?? 'hybrid', q: suggestion.label, filters };
}
