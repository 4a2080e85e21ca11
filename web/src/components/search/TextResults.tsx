// The results of a search by words: the server's notices (no CLIP model: keyword results only), the words it also
// looked for, the grid and "Show more", or tips when nothing matched.
import type { SearchHit, SearchMode } from '../../client/search.js';
import { TextResultGrid } from './ResultGrid.js';
import { UnderstoodChips } from './UnderstoodChips.js';
import { ModeUnavailable, MoreResults, ResultsSkeleton, ResultSummary, SearchError } from './ResultStates.js';
import { filterCount, type SearchState } from './searchState.js';
import { PAGE_SIZE, type ResultsView, type TextMeta } from './useSearchResults.js';

/** The API pages text results up to here. */
const MAX_RESULTS = 2000;

export function TextResults({
  view,
  state,
  onRetry,
  onMode,
  onClearFilters,
  onMore,
  onQuery,
}: {
  view: ResultsView<SearchHit, TextMeta>;
  state: SearchState;
  onRetry: () => void;
  onMode: (mode: SearchMode) => void;
  onClearFilters: () => void;
  onMore: () => void;
  /** Search again with other words (a chip taken out, a name chosen), understood or exactly as typed. */
  onQuery: (q: string, exact: boolean) => void;
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
      <UnderstoodChips understood={meta.understood} q={state.q} exact={state.exact ?? false} onQuery={onQuery} />
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
        <NoResults
          query={state.q}
          mode={meta.mode}
          filtered={filtered}
          understood={meta.understood?.parts.filter((p) => p.kind !== 'text').map((p) => p.label) ?? []}
          onMode={onMode}
          onClearFilters={onClearFilters}
          onExact={() => onQuery(state.q, true)}
        />
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

function NoResults({
  query,
  mode,
  filtered,
  understood,
  onMode,
  onClearFilters,
  onExact,
}: {
  query: string;
  mode: SearchMode;
  filtered: boolean;
  /** The labels of what was understood as filters (each photo must match them all). */
  understood: string[];
  onMode: (mode: SearchMode) => void;
  onClearFilters: () => void;
  onExact: () => void;
}) {
  return (
    <div className="search-message" data-testid="search-empty">
      <h2>No photos match “{query}”</h2>
      <ul className="search-tips">
        {understood.length > 0 ? (
          <li>
            A photo must match all of {understood.join(', ')}: take one out above, or{' '}
            <button type="button" className="search-link-button" onClick={onExact}>
              search the words exactly as typed
            </button>
            .
          </li>
        ) : null}
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
