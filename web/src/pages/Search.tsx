// The search page: /search?q=…&mode=hybrid|keyword|semantic&<filters>, /search?similar=<photoId> ("find
// similar" on a photo page) and /search?image=<token> (a photo dropped or picked here). The URL is the state.
import { useEffect, useMemo, useState } from 'react';
import { api, photoUrls, type PhotoSummary } from '../api.js';
import {
  albumName,
  listCategories,
  listPeopleForFilter,
  type SearchFilters,
  type SearchHit,
  type SearchMode,
  type SimilarHit,
} from '../client/search.js';
import { ModeToggle } from '../components/search/ModeToggle.js';
import { SearchFiltersPanel, type FilterChoices } from '../components/search/SearchFilters.js';
import { SimilarResultGrid, TextResultGrid } from '../components/search/ResultGrid.js';
import { ImagePickerButton, rememberedImage, rememberImage, useImageDrop } from '../components/search/imageSearch.js';
import { emptyState, filterCount, parseSearch, searchHref, type SearchState } from '../components/search/searchState.js';
import {
  PAGE_SIZE,
  SIMILAR_PAGE,
  useSimilarSearch,
  useTextSearch,
  type ResultsView,
  type SimilarMeta,
  type TextMeta,
} from '../components/search/useSearchResults.js';
import { formatCount, formatShortDate } from '../lib/format.js';
import { Link, navigate, useLocation } from '../lib/router.js';
import '../styles/search.css';

/** The API pages text results up to here. */
const MAX_RESULTS = 2000;

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
  const kind = state.similar ? 'similar' : state.image ? 'image' : state.q ? 'text' : 'start';
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
    document.title =
      kind === 'text' ? `“${state.q}” — Search — Shoebox` : kind === 'start' ? 'Search — Shoebox' : `Photos like ${sourceName} — Shoebox`;
  }, [kind, state.q, sourceName]);

  const count = filterCount(state.filters);
  const showFilters = kind !== 'start';

  return (
    <main className="search-page" data-testid="search-page" {...handlers}>
      <div className="search-head">
        <div className="search-title">
          {kind === 'text' ? (
            <h1>
              <span className="visually-hidden">Search results for </span>“{state.q}”
            </h1>
          ) : kind === 'similar' ? (
            <SimilarHeading photoId={state.similar!} photo={source} />
          ) : kind === 'image' ? (
            <ImageHeading file={file} />
          ) : (
            <h1>Search</h1>
          )}
        </div>
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

/** The categories and people the filters offer, fetched once per visit. */
function useFilterChoices(): FilterChoices {
  const [choices, setChoices] = useState<FilterChoices>({ categories: null, people: null, error: null });
  useEffect(() => {
    const controller = new AbortController();
    const failed = (error: unknown) => {
      if (controller.signal.aborted) return;
      setChoices((c) => ({ categories: c.categories ?? [], people: c.people ?? [], error: error instanceof Error ? error.message : String(error) }));
    };
    listCategories(controller.signal).then((categories) => setChoices((c) => ({ ...c, categories })), failed);
    listPeopleForFilter(controller.signal).then((people) => setChoices((c) => ({ ...c, people })), failed);
    return () => controller.abort();
  }, []);
  return choices;
}

/** The photo a "find similar" search starts from (for its name and thumbnail). */
function useSimilarSource(photoId: string | null): PhotoSummary | null {
  const [photo, setPhoto] = useState<PhotoSummary | null>(null);
  useEffect(() => {
    setPhoto(null);
    if (!photoId) return;
    const controller = new AbortController();
    api.getPhoto(photoId, controller.signal).then(setPhoto, () => undefined);
    return () => controller.abort();
  }, [photoId]);
  return photo;
}

function SimilarHeading({ photoId, photo }: { photoId: string; photo: PhotoSummary | null }) {
  return (
    <div className="search-source">
      <Link to={photoUrls.page(photoId)} className="search-source-thumb" aria-label={photo ? `Open ${photo.filename}` : 'Open the photo'}>
        <img src={photoUrls.thumbnail(photoId)} alt="" width={56} height={56} />
      </Link>
      <h1>
        Photos like <Link to={photoUrls.page(photoId)}>{photo?.filename ?? 'this photo'}</Link>
      </h1>
    </div>
  );
}

function ImageHeading({ file }: { file: File | undefined }) {
  const [url, setUrl] = useState<string | null>(null);
  // A format the browser cannot show (HEIC, raw): no thumbnail, the name says which file it was.
  const [unreadable, setUnreadable] = useState(false);
  useEffect(() => {
    setUnreadable(false);
    if (!file) return;
    const objectUrl = URL.createObjectURL(file);
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [file]);
  return (
    <div className="search-source">
      {file && url && !unreadable ? (
        <span className="search-source-thumb">
          <img src={url} alt="" width={56} height={56} onError={() => setUnreadable(true)} />
        </span>
      ) : null}
      <h1>Photos like {file ? <span className="search-source-name">{file.name}</span> : 'an image'}</h1>
    </div>
  );
}

function StartHere({ onImage }: { onImage: (file: File) => void }) {
  const examples = [
    { q: 'beach at sunset', why: 'what a photo shows, in your own words' },
    { q: 'birthday', why: 'a tag, an album or a keyword' },
    { q: 'Paris', why: 'where it was taken' },
    { q: 'menu', why: 'text written in the photo' },
    { q: 'iPhone', why: 'the camera' },
  ];
  return (
    <div className="search-start" data-testid="search-start">
      <p className="search-start-lead">
        Type in the search box above (press <kbd>/</kbd> from anywhere) to find photos by what is in them, who is in them, where they were taken, or
        the text written in them.
      </p>
      <ul className="search-examples">
        {examples.map((example) => (
          <li key={example.q}>
            <Link to={searchHref({ ...emptyState, q: example.q })}>{example.q}</Link> <span className="muted">— {example.why}</span>
          </li>
        ))}
      </ul>
      <div className="search-start-image">
        <p>Or find photos that look like another one: drop a photo anywhere on this page, or</p>
        <ImagePickerButton onImage={onImage} label="Pick an image" testId="start-image-input" />
      </div>
    </div>
  );
}

function TextResults({
  view,
  state,
  onRetry,
  onMode,
  onClearFilters,
  onMore,
}: {
  view: ResultsView<SearchHit, TextMeta>;
  state: SearchState;
  onRetry: () => void;
  onMode: (mode: SearchMode) => void;
  onClearFilters: () => void;
  onMore: () => void;
}) {
  const filtered = filterCount(state.filters) > 0;
  if (view.status === 'idle') return null;
  if (view.status === 'loading') return <ResultsSkeleton />;
  if (view.status === 'unavailable') return <ModeUnavailable message={view.message} command={view.command} onKeyword={() => onMode('keyword')} />;
  if (view.status === 'error') return <SearchError message={view.message} onRetry={onRetry} />;
  const { items, meta } = view;
  return (
    <>
      <ResultSummary count={meta.total} elapsedMs={view.elapsedMs} noun="photo" />
      {meta.notices.map((notice) => (
        <Notice key={notice} text={notice} />
      ))}
      {meta.alternatives.length > 0 ? (
        <p className="search-note" data-testid="search-alternatives">
          {items.some((hit) => hit.explanation.closeMatch)
            ? 'After the photos that match your words: close matches for '
            : 'Also searched for words in your library that look like yours: '}
          {meta.alternatives.map((a) => a.label).join(', ')}
        </p>
      ) : null}
      {items.length === 0 ? (
        <NoResults query={state.q} mode={meta.mode} filtered={filtered} onMode={onMode} onClearFilters={onClearFilters} />
      ) : (
        <>
          <TextResultGrid hits={items} query={state.q} />
          <MoreResults
            shown={items.length}
            total={Math.min(meta.total, MAX_RESULTS)}
            loading={view.loadingMore}
            error={view.moreError}
            canMore={items.length < meta.total && (state.pages + 1) * PAGE_SIZE <= MAX_RESULTS}
            onMore={onMore}
          />
        </>
      )}
    </>
  );
}

function SimilarResults({
  view,
  sourceName,
  filtered,
  onRetry,
  onClearFilters,
  onMore,
}: {
  view: ResultsView<SimilarHit, SimilarMeta>;
  sourceName: string;
  filtered: boolean;
  onRetry: () => void;
  onClearFilters: () => void;
  onMore: () => void;
}) {
  if (view.status === 'idle') return null;
  if (view.status === 'loading') return <ResultsSkeleton />;
  if (view.status === 'unavailable') return <ModeUnavailable message={view.message} command={view.command} />;
  if (view.status === 'error') return <SearchError message={view.message} onRetry={view.httpStatus >= 500 || view.httpStatus === 0 ? onRetry : undefined} />;
  const { items, meta } = view;
  return (
    <>
      <ResultSummary count={items.length} elapsedMs={view.elapsedMs} noun="similar photo" atLeast={meta.more} />
      {items.length === 0 ? (
        <div className="search-message" data-testid="search-empty">
          <h2>No photos look like {sourceName}</h2>
          {filtered ? (
            <p>
              The filters may leave them out.{' '}
              <button type="button" className="search-link-button" onClick={onClearFilters}>
                Clear the filters
              </button>
            </p>
          ) : (
            <p>Photos are compared once they are analysed: new photos may still be waiting for it.</p>
          )}
        </div>
      ) : (
        <>
          <SimilarResultGrid hits={items} source={sourceName} />
          <MoreResults shown={items.length} total={null} loading={view.loadingMore} error={view.moreError} canMore={meta.more} onMore={onMore} step={SIMILAR_PAGE} />
        </>
      )}
    </>
  );
}

function ResultSummary({ count, elapsedMs, noun, atLeast = false }: { count: number; elapsedMs: number; noun: string; atLeast?: boolean }) {
  const seconds = elapsedMs < 1000 ? `${Math.max(1, Math.round(elapsedMs))} ms` : `${(elapsedMs / 1000).toFixed(1)} s`;
  return (
    <p className="search-summary" data-testid="search-summary" aria-live="polite">
      <strong data-testid="search-total">{formatCount(count)}</strong>
      {atLeast ? '+' : ''} {count === 1 ? noun : `${noun}s`} <span className="muted">· {seconds}</span>
    </p>
  );
}

/** A notice from the server ("semantic search needs a CLIP model (…)"), with its install command set apart. */
function Notice({ text }: { text: string }) {
  const command = /shoebox models pull [\w.-]+/.exec(text)?.[0];
  const [before, after] = command ? text.split(command) : [text, ''];
  return (
    <p className="search-notice" role="status" data-testid="search-notice">
      {before}
      {command ? <code>{command}</code> : null}
      {after}
    </p>
  );
}

function ModeUnavailable({ message, command, onKeyword }: { message: string; command: string | null; onKeyword?: () => void }) {
  return (
    <div className="search-message search-unavailable" data-testid="search-unavailable" role="alert">
      <h2>This search needs a CLIP model</h2>
      <p>Searching by meaning, and by image, compares photos with the CLIP model, which is not installed on the Shoebox server.</p>
      {command ? (
        <p>
          Install it on the server with <code className="command">{command}</code>, then search again: photos already in the library are analysed
          with it in the background.
        </p>
      ) : null}
      <p className="muted">The server said: {message}</p>
      {onKeyword ? (
        <button type="button" className="button button-primary" onClick={onKeyword}>
          Search by keyword instead
        </button>
      ) : null}
    </div>
  );
}

function SearchError({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <div className="search-message search-error" role="alert" data-testid="search-error">
      <h2>The search did not work</h2>
      <p>{message}</p>
      {onRetry ? (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

function NoResults({
  query,
  mode,
  filtered,
  onMode,
  onClearFilters,
}: {
  query: string;
  mode: SearchMode;
  filtered: boolean;
  onMode: (mode: SearchMode) => void;
  onClearFilters: () => void;
}) {
  return (
    <div className="search-message" data-testid="search-empty">
      <h2>No photos match “{query}”</h2>
      <ul className="search-tips">
        {filtered ? (
          <li>
            The filters narrow the search.{' '}
            <button type="button" className="search-link-button" onClick={onClearFilters}>
              Clear the filters
            </button>
          </li>
        ) : null}
        {mode === 'keyword' ? (
          <li>
            Keyword search looks for the words themselves.{' '}
            <button type="button" className="search-link-button" onClick={() => onMode('semantic')}>
              Search by meaning
            </button>{' '}
            to find photos that show it.
          </li>
        ) : null}
        {mode === 'semantic' ? (
          <li>
            <button type="button" className="search-link-button" onClick={() => onMode('keyword')}>
              Search by keyword
            </button>{' '}
            for names, places and text in photos.
          </li>
        ) : null}
        <li>Check the spelling, or use fewer words.</li>
        <li>New photos are found once they are analysed: see the Jobs page for what is still running.</li>
      </ul>
    </div>
  );
}

function MoreResults({
  shown,
  total,
  loading,
  error,
  canMore,
  onMore,
  step = PAGE_SIZE,
}: {
  shown: number;
  total: number | null;
  loading: boolean;
  error: string | null;
  canMore: boolean;
  onMore: () => void;
  step?: number;
}) {
  if (!canMore && !error) return total !== null && shown < total ? <p className="search-more muted">Showing the first {formatCount(shown)}.</p> : null;
  return (
    <div className="search-more">
      {error ? <p className="banner banner-error">More results could not be loaded: {error}</p> : null}
      {canMore ? (
        <button type="button" className="button" data-testid="search-more" disabled={loading} onClick={onMore}>
          {loading ? <span className="spinner spinner-inline" aria-hidden="true" /> : null}
          {loading ? 'Loading…' : `Show ${total !== null ? Math.min(step, total - shown) : step} more`}
        </button>
      ) : null}
    </div>
  );
}

function ResultsSkeleton() {
  return (
    <div aria-busy="true" data-testid="search-loading">
      <p className="search-summary muted" aria-live="polite">
        Searching…
      </p>
      <ul className="photo-grid search-skeleton" aria-hidden="true">
        {Array.from({ length: 12 }, (_, i) => (
          <li key={i} className="photo-grid-cell">
            <span className="skeleton search-skeleton-tile" />
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The filters in use, each removable: also those set elsewhere (a place or an album from a suggestion). */
function ActiveFilters({ filters, choices, onChange }: { filters: SearchFilters; choices: FilterChoices; onChange: (filters: SearchFilters) => void }) {
  const album = useAlbumName(filters.album);
  const chips: { key: string; label: string; remove: SearchFilters }[] = [];
  for (const name of filters.categories ?? []) {
    const label = choices.categories?.find((c) => c.name === name)?.label ?? name;
    chips.push({ key: `category:${name}`, label, remove: { ...filters, categories: filters.categories!.filter((c) => c !== name) } });
  }
  for (const id of filters.people ?? []) {
    const person = choices.people?.find((p) => p.id === id);
    chips.push({ key: `person:${id}`, label: person ? (person.name ?? 'Unnamed person') : 'Person', remove: { ...filters, people: filters.people!.filter((p) => p !== id) } });
  }
  if (filters.from || filters.to) {
    const from = formatShortDate(filters.from ?? null);
    const to = formatShortDate(filters.to ?? null);
    const label = from && to ? (from === to ? `On ${from}` : `${from} – ${to}`) : from ? `From ${from}` : `Until ${to}`;
    chips.push({ key: 'dates', label, remove: { ...filters, from: undefined, to: undefined } });
  }
  if (filters.camera) chips.push({ key: 'camera', label: `Camera: ${filters.camera}`, remove: { ...filters, camera: undefined } });
  if (filters.place) chips.push({ key: 'place', label: `Place: ${filters.place}`, remove: { ...filters, place: undefined } });
  if (filters.album) chips.push({ key: 'album', label: `Album: ${album ?? '…'}`, remove: { ...filters, album: undefined } });
  if (filters.hasLocation) chips.push({ key: 'location', label: 'Has a location', remove: { ...filters, hasLocation: undefined } });
  if (filters.favorite) chips.push({ key: 'favorite', label: 'Favourites', remove: { ...filters, favorite: undefined } });
  if (filters.minRating) chips.push({ key: 'rating', label: `${'★'.repeat(filters.minRating)}${filters.minRating < 5 ? ' and up' : ''}`, remove: { ...filters, minRating: undefined } });
  if (filters.hideDuplicates) chips.push({ key: 'duplicates', label: 'Duplicates hidden', remove: { ...filters, hideDuplicates: undefined } });
  if (chips.length === 0) return null;
  return (
    <ul className="filter-chips" aria-label="Filters in use" data-testid="active-filters">
      {chips.map((chip) => (
        <li key={chip.key} className="filter-chip">
          <span>{chip.label}</span>
          <button type="button" className="filter-chip-remove" aria-label={`Remove filter: ${chip.label}`} onClick={() => onChange(chip.remove)}>
            <span aria-hidden="true">×</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

function useAlbumName(id: string | undefined): string | null {
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    setName(null);
    if (!id) return;
    const controller = new AbortController();
    albumName(id, controller.signal).then(setName, () => {
      if (!controller.signal.aborted) setName('an album no longer in the library');
    });
    return () => controller.abort();
  }, [id]);
  return name;
}
