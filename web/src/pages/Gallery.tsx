import { useEffect, useMemo, useRef, type CSSProperties } from 'react';
import type { PhotoSummary } from '../api.js';
import { PhotoTile } from '../components/PhotoTile.js';
import { ErrorPanel } from '../components/ErrorPanel.js';
import { useGridSize } from '../hooks/useGridSize.js';
import { formatCount, monthLabel } from '../lib/format.js';
import { library, PAGE_SIZE, useLibrary } from '../store/library.js';

interface MonthGroup {
  key: string;
  label: string;
  short: string;
  items: PhotoSummary[];
}

/** Consecutive photos of the same month, in the API's order (newest taken first). */
function groupByMonth(items: readonly PhotoSummary[]): MonthGroup[] {
  const groups: MonthGroup[] = [];
  for (const item of items) {
    const { key, label, short } = monthLabel(item.takenAt ?? item.createdAt);
    const last = groups[groups.length - 1];
    if (last && last.key.startsWith(`${key}#`)) last.items.push(item);
    else groups.push({ key: `${key}#${groups.length}`, label, short, items: [item] });
  }
  return groups;
}

export function Gallery() {
  const state = useLibrary();
  const { items, total, status, loadingMore, error } = state;
  const groups = useMemo(() => groupByMonth(items), [items]);
  const sentinel = useRef<HTMLElement>(null);
  const [timeline, size] = useGridSize();
  const more = items.length < total;

  useEffect(() => {
    document.title = 'Shoebox';
    library.ensureLoaded();
  }, []);

  // Infinite scroll: load the next page when the end of the grid comes near. Observing again after every
  // page makes a tall window keep loading until it is full.
  useEffect(() => {
    const node = sentinel.current;
    if (!node || !more || status !== 'ready') return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) void library.loadMore();
      },
      { rootMargin: '400px 0px' },
    );
    observer.observe(node);
    return () => observer.disconnect();
  }, [more, status, items.length]);

  if (status === 'idle' || (status === 'loading' && items.length === 0)) {
    return (
      <main className="gallery" aria-busy="true">
        <h1 className="visually-hidden">All photos</h1>
        <div className="grid" aria-hidden="true">
          {Array.from({ length: 18 }, (_, i) => (
            <span key={i} className="tile tile-skeleton" />
          ))}
        </div>
      </main>
    );
  }

  if (status === 'error' && items.length === 0) {
    return (
      <main className="gallery">
        <h1 className="visually-hidden">All photos</h1>
        <ErrorPanel title="The library could not be loaded" message={error ?? 'unknown error'} onRetry={() => void library.refresh()} />
      </main>
    );
  }

  if (total === 0 && items.length === 0) {
    return (
      <main className="gallery">
        <h1 className="visually-hidden">All photos</h1>
        <EmptyLibrary />
      </main>
    );
  }

  return (
    <main className="gallery">
      <h1 className="visually-hidden">All photos</h1>
      {error ? (
        <p className="banner banner-error" role="alert">
          {error} — showing what was loaded; trying again.
        </p>
      ) : null}
      {/* Months flow side by side when they are short (a month of two photos does not take a whole row);
          a longer month fills whole rows. Every tile has the same size, on one column grid. */}
      <div
        className="timeline"
        ref={timeline}
        style={size ? ({ '--tile': `${size.tile}px`, '--gap': `${size.gap}px` } as CSSProperties) : undefined}
      >
        {size
          ? groups.map((group) => (
              <section
                key={group.key}
                className="month"
                aria-label={`${group.label}, ${group.items.length} ${group.items.length === 1 ? 'photo' : 'photos'}`}
                style={{ '--span': Math.min(group.items.length, size.columns) } as CSSProperties}
              >
                <h2 className="month-title" title={group.label}>
                  {group.items.length === 1 && size.tile < 150 ? group.short : group.label}{' '}
                  <span className="month-count">{group.items.length}</span>
                </h2>
                <ul className="month-grid" role="list">
                  {group.items.map((photo) => (
                    <li key={photo.id} className="grid-cell">
                      <PhotoTile photo={photo} />
                    </li>
                  ))}
                </ul>
              </section>
            ))
          : null}
      </div>
      <footer className="gallery-footer" ref={sentinel}>
        <p className="muted" data-testid="gallery-shown">
          {more
            ? `Showing ${formatCount(items.length)} of ${formatCount(total)} photos`
            : `${formatCount(total)} ${total === 1 ? 'photo' : 'photos'} — that is everything.`}
        </p>
        {more ? (
          <button type="button" className="button" onClick={() => void library.loadMore()} disabled={loadingMore} data-testid="load-more">
            {loadingMore ? 'Loading…' : `Load ${Math.min(PAGE_SIZE, total - items.length)} more`}
          </button>
        ) : null}
      </footer>
    </main>
  );
}

function EmptyLibrary() {
  return (
    <section className="empty">
      <svg viewBox="0 0 32 32" className="empty-mark" aria-hidden="true" focusable="false">
        <rect x="3" y="11" width="26" height="17" rx="2.5" fill="currentColor" opacity="0.35" />
        <path d="M2 8.5A2.5 2.5 0 0 1 4.5 6h23A2.5 2.5 0 0 1 30 8.5V12H2z" fill="currentColor" opacity="0.6" />
      </svg>
      <h2>Your Shoebox is empty</h2>
      <p>Add photos with the Upload button, or drop them anywhere on this page.</p>
      <p className="muted">
        To bring in a whole folder, run <code>shoebox import &lt;folder&gt;</code> on the server.
      </p>
      <button type="button" className="button button-primary" onClick={() => document.getElementById('upload-input')?.click()}>
        Choose photos…
      </button>
    </section>
  );
}
