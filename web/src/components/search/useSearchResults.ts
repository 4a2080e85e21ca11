// Runs the search the URL describes and keeps its results, page by page. The last results are kept outside
// React, so that coming back from a photo page shows them at once (and at the same scroll position).
import { useEffect, useState } from 'react';
import { ApiError } from '../../api.js';
import {
  installCommandIn,
  searchPhotos,
  similarToFile,
  similarToPhoto,
  type SearchFilters,
  type SearchHit,
  type SearchMode,
  type SearchResult,
  type SimilarHit,
  type SimilarResult,
} from '../../client/search.js';
import { messageOf } from '../../hooks/useResource.js';
import { isAbort } from '../../lib/errors.js';

/** Results per page of a text search. */
export const PAGE_SIZE = 30;
/** Results per "page" of an image search (the API answers at most 200 at once). */
export const SIMILAR_PAGE = 60;
const SIMILAR_MAX = 200;
/** Results older than this are shown, then fetched again. */
const FRESH_MS = 30_000;

export type ResultsView<Hit, Meta> =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'ready'; items: Hit[]; meta: Meta; elapsedMs: number; loadingMore: boolean; moreError: string | null }
  /** The server cannot run this kind of search (no CLIP model): its message, and the command that fixes it. */
  | { status: 'unavailable'; message: string; command: string | null }
  | { status: 'error'; message: string; httpStatus: number };

interface Cached<Hit, Meta> {
  key: string;
  pages: Hit[][];
  meta: Meta;
  elapsedMs: number;
  at: number;
}

function failure(error: unknown): ResultsView<never, never> {
  if (error instanceof ApiError && error.status === 409 && /CLIP model/i.test(error.message)) {
    return { status: 'unavailable', message: error.message, command: installCommandIn(error.message) };
  }
  return { status: 'error', message: messageOf(error), httpStatus: error instanceof ApiError ? error.status : 0 };
}

/**
 * Pages `1…pages` of a result list: `fetchPages(from, to)` answers pages `from…to` with the list's metadata.
 * Asking for more pages fetches only the new ones; fewer (Back after "Show more") shows fewer.
 */
function usePagedResults<Hit, Meta>(
  key: string | null,
  pages: number,
  cache: { current: Cached<Hit, Meta> | null },
  fetchPages: (from: number, to: number, signal: AbortSignal) => Promise<{ pages: Hit[][]; meta: Meta }>,
): { view: ResultsView<Hit, Meta>; retry: () => void } {
  const show = (c: Cached<Hit, Meta>, loadingMore = false, moreError: string | null = null): ResultsView<Hit, Meta> => ({
    status: 'ready',
    items: c.pages.slice(0, pages).flat(),
    meta: c.meta,
    elapsedMs: c.elapsedMs,
    loadingMore,
    moreError,
  });
  const [view, setView] = useState<ResultsView<Hit, Meta>>(() =>
    key && cache.current?.key === key && cache.current.pages.length >= pages ? show(cache.current) : { status: key ? 'loading' : 'idle' },
  );
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!key) {
      setView({ status: 'idle' });
      return;
    }
    const cached = cache.current?.key === key ? cache.current : null;
    const fresh = cached && Date.now() - cached.at < FRESH_MS;
    if (cached && fresh && cached.pages.length >= pages) {
      setView(show(cached));
      return;
    }
    const controller = new AbortController();
    // More of the same list: fetch the pages after those loaded. Otherwise (new, or stale): all of them.
    const from = cached && fresh ? cached.pages.length + 1 : 1;
    if (cached) setView(show(cached, from > 1));
    else setView({ status: 'loading' });
    const started = performance.now();
    fetchPages(from, pages, controller.signal).then(
      (answer) => {
        const next: Cached<Hit, Meta> = {
          key,
          pages: from > 1 && cached ? [...cached.pages, ...answer.pages] : answer.pages,
          meta: answer.meta,
          elapsedMs: from > 1 && cached ? cached.elapsedMs : performance.now() - started,
          at: from > 1 && cached ? cached.at : Date.now(),
        };
        cache.current = next;
        setView(show(next));
      },
      (error: unknown) => {
        if (isAbort(error)) return;
        if (cached && from > 1) setView(show(cached, false, messageOf(error)));
        else setView(failure(error));
      },
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `show` and `fetchPages` are new every render; what they read is in `key` and `pages`
  }, [key, pages, attempt]);

  return { view, retry: () => setAttempt((n) => n + 1) };
}

export interface TextMeta {
  total: number;
  mode: SearchMode;
  requestedMode: SearchMode;
  alternatives: SearchResult['alternatives'];
  notices: string[];
  understood: SearchResult['understood'];
}

const textCache: { current: Cached<SearchHit, TextMeta> | null } = { current: null };

/** A search by words and/or meaning. */
export function useTextSearch(search: { q: string; mode: SearchMode; filters: SearchFilters; pages: number; exact?: boolean } | null) {
  const key = search?.q ? JSON.stringify(['text', search.q, search.mode, search.filters, search.exact ?? false]) : null;
  return usePagedResults(key, search?.pages ?? 1, textCache, async (from, to, signal) => {
    const answers = await Promise.all(
      Array.from({ length: to - from + 1 }, (_, i) =>
        searchPhotos({ q: search!.q, mode: search!.mode, filters: search!.filters, page: from + i, limit: PAGE_SIZE, exact: search!.exact }, signal),
      ),
    );
    const last = answers[answers.length - 1]!;
    return {
      pages: answers.map((answer) => answer.items),
      meta: {
        total: last.total,
        mode: last.mode,
        requestedMode: last.requestedMode,
        alternatives: last.alternatives,
        notices: last.notices,
        understood: last.understood,
      },
    };
  });
}

export interface SimilarMeta {
  source: SimilarResult['source'];
  /** Whether asking for more could find more (the list filled the limit, below the API's maximum). */
  more: boolean;
}

const similarCache: { current: Cached<SimilarHit, SimilarMeta> | null } = { current: null };

/** Photos that look like a library photo or like an image file. */
export function useSimilarSearch(source: { photoId: string } | { file: File; token: string } | null, filters: SearchFilters, pages: number) {
  const key = source ? JSON.stringify(['similar', 'photoId' in source ? source.photoId : `file:${source.token}`, filters]) : null;
  return usePagedResults(key, pages, similarCache, async (from, to, signal) => {
    // One request for the whole list: the API ranks by likeness and has no pages.
    const limit = Math.min(SIMILAR_MAX, to * SIMILAR_PAGE);
    const options = { limit, filters };
    const answer = 'photoId' in source! ? await similarToPhoto(source.photoId, options, signal) : await similarToFile(source!.file, options, signal);
    const chunks: SimilarHit[][] = [];
    for (let i = 0; i < to; i++) chunks.push(answer.items.slice(i * SIMILAR_PAGE, i === to - 1 ? undefined : (i + 1) * SIMILAR_PAGE));
    // Pages already shown are kept as they are: only the new ones are handed over.
    return { pages: chunks.slice(from - 1), meta: { source: answer.source, more: answer.items.length >= limit && limit < SIMILAR_MAX } };
  });
}
