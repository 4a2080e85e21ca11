// The parts of a result list other than its grid, shared by text and image searches: the count line, the
// skeleton while searching, what the page says when it cannot search, and "Show more".
import { formatCount } from '../../lib/format.js';
import { PAGE_SIZE } from './useSearchResults.js';

export function ResultSummary({ count, elapsedMs, noun, atLeast = false }: { count: number; elapsedMs: number; noun: string; atLeast?: boolean }) {
  const seconds = elapsedMs < 1000 ? `${Math.max(1, Math.round(elapsedMs))} ms` : `${(elapsedMs / 1000).toFixed(1)} s`;
  return (
    <p className="search-summary" data-testid="search-summary" aria-live="polite">
      <strong data-testid="search-total">{formatCount(count)}</strong>
      {atLeast ? '+' : ''} {count === 1 ? noun : `${noun}s`} <span className="muted">· {seconds}</span>
    </p>
  );
}

export function ModeUnavailable({ message, command, onKeyword }: { message: string; command: string | null; onKeyword?: () => void }) {
  return (
    <div className="search-message search-unavailable" data-testid="search-unavailable" role="alert">
      <h2>This search needs a CLIP model</h2>
      <p>Searching by meaning, and by image, compares photos with the CLIP model, which is not installed on the Shoebox server.</p>
      {command ? (
        <p>
          Install it on the server with <code className="command">{command}</code>, then search again: photos already in the library are analysed with it in the
          background.
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

export function SearchError({ message, onRetry }: { message: string; onRetry?: () => void }) {
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

export function MoreResults({
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

export function ResultsSkeleton() {
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
