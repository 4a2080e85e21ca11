// The results of a "photos like" search (a library photo, or an image picked or dropped): the grid and "Show
// more", or why there are none.
import type { SimilarHit } from '../../client/search.js';
import { SimilarResultGrid } from './ResultGrid.js';
import { ModeUnavailable, MoreResults, ResultsSkeleton, ResultSummary, SearchError } from './ResultStates.js';
import { SIMILAR_PAGE, type ResultsView, type SimilarMeta } from './useSearchResults.js';

export function SimilarResults({
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
          <MoreResults
            shown={items.length}
            total={null}
            loading={view.loadingMore}
            error={view.moreError}
            canMore={meta.more}
            onMore={onMore}
            step={SIMILAR_PAGE}
          />
        </>
      )}
    </>
  );
}
