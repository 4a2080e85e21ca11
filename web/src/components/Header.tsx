import { formatCount } from '../lib/format.js';
import { Link } from '../lib/router.js';
import { useLibrary } from '../store/library.js';
import { UploadButton } from './UploadButton.js';

/** The bar at the top of every page: the library's name, its counts, and the upload button. */
export function Header() {
  const { stats, total, status } = useLibrary();
  const count = stats?.total ?? (status === 'ready' ? total : null);
  const working = (stats?.states.pending ?? 0) + (stats?.states.processing ?? 0);
  const partial = stats?.states.partial ?? 0;
  const failed = stats?.states.failed ?? 0;
  return (
    <header className="app-header">
      <div className="app-header-inner">
        <Link to="/" className="brand" aria-label="Shoebox — all photos">
          <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
            <rect x="3" y="11" width="26" height="17" rx="2.5" fill="currentColor" opacity="0.85" />
            <path d="M2 8.5A2.5 2.5 0 0 1 4.5 6h23A2.5 2.5 0 0 1 30 8.5V12H2z" fill="currentColor" />
          </svg>
          <span className="brand-name">Shoebox</span>
        </Link>
        <p className="library-counts" data-testid="library-counts">
          {count === null ? (
            <span className="muted">…</span>
          ) : (
            <span className="count-total">
              {formatCount(count)} {count === 1 ? 'photo' : 'photos'}
            </span>
          )}
          {working > 0 ? (
            <span className="count-chip count-working" title="Photos waiting for or going through the pipeline">
              <span className="spinner spinner-inline" aria-hidden="true" />
              {formatCount(working)} processing
            </span>
          ) : null}
          {partial > 0 ? (
            <span className="count-chip count-partial" title="Photos where some steps failed">
              {formatCount(partial)} partial
            </span>
          ) : null}
          {failed > 0 ? (
            <span className="count-chip count-failed" title="Photos whose file could not be read">
              {formatCount(failed)} failed
            </span>
          ) : null}
        </p>
        <div className="header-actions">
          <UploadButton />
        </div>
      </div>
    </header>
  );
}
