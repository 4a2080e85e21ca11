// The search page: /search?q=…&mode=hybrid|keyword|semantic&<filters>, /search?similar=<photoId> ("find
// similar" on a photo page) and /search?image=<token> (a photo dropped or picked here). The URL is the state.
// This file lays the page out; its parts live in components/search/.
import { useEffect, useMemo, useState } from 'react';
import type { SearchFilters, SearchMode } from '../client/search.js';
import { ActiveFilters } from '../components/search/ActiveFilters.js';
import { ModeToggle } from '../components/search/ModeToggle.js';
import { SearchFiltersPanel } from '../components/search/SearchFilters.js';
import { SearchHeading } from '../components/search/SearchHeading.js';
import { SimilarResults } from '../components/search/SimilarResults.js';
import { StartHere } from '../components/search/StartHere.js';
import { TextResults } from '../components/search/TextResults.js';
import { ImagePickerButton, rememberedImage, rememberImage, useImageDrop } from '../components/search/imageSearch.js';
import { emptyState, filterCount, parseSearch, searchHref, searchKind, type SearchState } from '../components/search/searchState.js';
import { useFilterChoices, useSimilarSource } from '../components/search/useSearchLookups.js';
import { useSimilarSearch, useTextSearch } from '../components/search/useSearchResults.js';
import { navigate, useLocation } from '../lib/router.js';
import '../styles/search.css';

/** Modes the server said it cannot run, remembered across searches until one of them works. */
const unavailableModes = new Set<SearchMode>();

export function SearchPage() {
  const location = useLocation();
  const state = useMemo(() => parseSearch(location.search), [location.search]);
  const go = (next: SearchState, options: { replace?: boolean } = {}) => navigate(searchHref(next), options);
  const setFilters = (filters: SearchFilters) => go({ ...state, filters, pages: 1 });
  const choices = useFilterChoices();
  const [filtersOpen, setFiltersOpen] = useState(false);

  const file = state.image ? rememberedImage(state.image) : undefined;
  const kind = searchKind(state);
  const text = useTextSearch(kind === 'text' ? state : null);
  const similar = useSimilarSearch(
    kind === 'similar' ? { photoId: state.similar! } : kind === 'image' && file ? { file, token: state.image! } : null,
    state.filters,
    state.pages,
  );
  const source = useSimilarSource(state.similar);

  // What the server said about semantic search (no CLIP model): remembered so that the toggle can mark it.
  // Hybrid still works without it (keyword results, with a notice).
  if (text.view.status === 'unavailable') unavailableModes.add('semantic');
  else if (text.view.status === 'ready') {
    if (text.view.meta.mode !== text.view.meta.requestedMode) unavailableModes.add('semantic');
    else if (text.view.meta.mode !== 'keyword') unavailableModes.delete('semantic');
  }

  const searchImage = (image: File) => go({ ...emptyState, filters: state.filters, image: rememberImage(image) });
  const [dropNote, setDropNote] = useState<string | null>(null);
  const { over, handlers } = useImageDrop((image, others) => {
    setDropNote(others > 0 ? `Searched with ${image.name}, the first of the ${others + 1} files dropped.` : null);
    searchImage(image);
  });

  const sourceName = kind === 'similar' ? (source?.filename ?? 'this photo') : (file?.name ?? 'your image');
  useEffect(() => {
    document.title = kind === 'text' ? `“${state.q}” — Search · Shoebox` : kind === 'start' ? 'Search · Shoebox' : `Photos like ${sourceName} · Shoebox`;
  }, [kind, state.q, sourceName]);

  const count = filterCount(state.filters);
  const showFilters = kind !== 'start';

  return (
    <main className="search-page" data-testid="search-page" {...handlers}>
      <div className="search-head">
        <SearchHeading kind={kind} q={state.q} similar={state.similar} source={source} file={file} />
        <div className="search-tools">
          {kind === 'text' ? <ModeToggle mode={state.mode} unavailable={unavailableModes} onChange={(mode) => go({ ...state, mode, pages: 1 })} /> : null}
          <ImagePickerButton onImage={searchImage} />
          {showFilters ? (
            <button
              type="button"
              className="button filters-toggle"
              aria-expanded={filtersOpen}
              aria-controls="search-filters"
              onClick={() => setFiltersOpen(!filtersOpen)}
            >
              Filters{count > 0 ? ` (${count})` : ''}
            </button>
          ) : null}
        </div>
      </div>

      {dropNote && kind === 'image' ? <p className="search-note">{dropNote}</p> : null}

      {kind === 'start' ? (
        <StartHere onImage={searchImage} />
      ) : (
        <div className="search-layout">
          <aside id="search-filters" className="search-filters" data-open={filtersOpen} aria-label="Filters">
            <div className="search-filters-head">
              <h2>Filters</h2>
              {count > 0 ? (
                <button type="button" className="search-link-button" onClick={() => setFilters({})}>
                  Clear all
                </button>
              ) : null}
            </div>
            <SearchFiltersPanel filters={state.filters} choices={choices} onChange={setFilters} />
          </aside>
          <section className="search-results" aria-label="Results">
            <ActiveFilters filters={state.filters} choices={choices} onChange={setFilters} />
            {kind === 'text' ? (
              <TextResults
                view={text.view}
                state={state}
                onRetry={text.retry}
                onMode={(mode) => go({ ...state, mode, pages: 1 })}
                onClearFilters={() => setFilters({})}
                onMore={() => go({ ...state, pages: state.pages + 1 }, { replace: true })}
                onQuery={(q, exact) => go({ ...state, q, exact: exact || undefined, pages: 1 })}
              />
            ) : kind === 'image' && !file ? (
              <div className="search-message" data-testid="search-image-gone">
                <h2>Choose the image again</h2>
                <p>The image searched with is kept only while the page is open. Drop it here or pick it again to see photos like it.</p>
                <ImagePickerButton onImage={searchImage} label="Pick an image" testId="again-image-input" />
              </div>
            ) : (
              <SimilarResults
                view={similar.view}
                sourceName={sourceName}
                filtered={count > 0}
                onRetry={similar.retry}
                onClearFilters={() => setFilters({})}
                onMore={() => go({ ...state, pages: state.pages + 1 }, { replace: true })}
              />
            )}
          </section>
        </div>
      )}

      {over ? (
        <div className="image-drop-overlay" aria-hidden="true">
          <div className="image-drop-box">Drop a photo to find ones like it</div>
        </div>
      ) : null}
    </main>
  );
}
