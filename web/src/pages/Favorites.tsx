import { useEffect, useId, useMemo } from 'react';
import type { LibraryFilter } from '../client/library.js';
import { Timeline } from '../components/timeline/Timeline.js';
import { leastRatingText as starsText, photosAndVideos } from '../lib/format.js';
import { Link, navigate, useLocation } from '../lib/router.js';
import { library, useSequence } from '../store/library.js';
import '../styles/gallery.css';
import '../styles/search.css';

export interface FavoritesView {
  /** Favourites only (the default), or every photo with the rating asked for. */
  scope: 'favorites' | 'rated';
  /** At least this many stars (1–5), or null for any rating. */
  minRating: number | null;
}

/** The view in the URL: `/favorites?rating=4`, `/favorites?scope=rated&rating=5`. */
export function parseFavoritesView(search: string): FavoritesView {
  const params = new URLSearchParams(search);
  const rating = Number(params.get('rating'));
  const minRating = Number.isInteger(rating) && rating >= 1 && rating <= 5 ? rating : null;
  // "every rated photo" needs a rating to mean anything; without one it is the favourites again
  const scope = params.get('scope') === 'rated' ? 'rated' : 'favorites';
  return { scope, minRating: scope === 'rated' ? (minRating ?? 1) : minRating };
}

export function favoritesHref(view: FavoritesView): string {
  const params = new URLSearchParams();
  if (view.scope === 'rated') params.set('scope', 'rated');
  if (view.minRating !== null) params.set('rating', String(view.minRating));
  const query = params.toString();
  return query ? `/favorites?${query}` : '/favorites';
}

/**
 * Favourites, and photos by rating: the favourites (optionally only those rated N stars or more), or every photo
 * rated N stars or more. A timeline like the gallery's, so photos open, step with ←/→, and come back here.
 */
export function FavoritesPage() {
  const { search } = useLocation();
  const view = parseFavoritesView(search);
  const id = useId();
  const filter = useMemo<LibraryFilter>(
    () => ({ ...(view.scope === 'favorites' ? { favorite: true } : {}), ...(view.minRating !== null ? { minRating: view.minRating } : {}) }),
    [view.scope, view.minRating],
  );
  const sequence = useMemo(() => library.sequence(filter), [filter]);
  const state = useSequence(sequence);
  const total = state.timeline?.total ?? null;
  const title = view.scope === 'favorites' ? 'Favourites' : `Rated ${starsText(view.minRating ?? 1)}`;

  useEffect(() => {
    document.title = `${title} · Shoebox`;
  }, [title]);

  // A favourite or a rating may have changed on a photo page since this view was last loaded.
  useEffect(() => {
    if (sequence.getSnapshot().status !== 'idle') void sequence.refresh();
  }, [sequence]);

  const show = (next: Partial<FavoritesView>) => navigate(favoritesHref({ ...view, ...next }), { replace: true });

  return (
    <main className="gallery favorites-page">
      <div className="page-head">
        <div>
          <h1 data-testid="favorites-title">{title}</h1>
          <p className="muted page-head-sub" data-testid="favorites-summary">
            {total === null ? '…' : photosAndVideos(total, state.timeline?.videos ?? 0)}
          </p>
        </div>
        <div className="favorites-controls">
          <fieldset className="segmented" data-testid="favorites-scope">
            <legend className="visually-hidden">Show</legend>
            <label className="segment">
              <input
                type="radio"
                name={`${id}-scope`}
                checked={view.scope === 'favorites'}
                onChange={() => show({ scope: 'favorites', minRating: null })}
                data-testid="scope-favorites"
              />
              <span>Favourites</span>
            </label>
            <label className="segment">
              <input
                type="radio"
                name={`${id}-scope`}
                checked={view.scope === 'rated'}
                onChange={() => show({ scope: 'rated', minRating: view.minRating ?? 1 })}
                data-testid="scope-rated"
              />
              <span>All rated photos</span>
            </label>
          </fieldset>
          <label htmlFor={`${id}-rating`} className="favorites-rating-label">
            Rating
          </label>
          <select
            id={`${id}-rating`}
            value={view.minRating ?? ''}
            onChange={(event) => show({ minRating: event.target.value ? Number(event.target.value) : null })}
            data-testid="rating-filter"
          >
            {view.scope === 'favorites' ? <option value="">Any rating</option> : null}
            {[1, 2, 3, 4, 5].map((n) => (
              <option key={n} value={n}>
                {starsText(n)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <Timeline
        filter={filter}
        label={`${title}, newest first`}
        empty={
          <section className="empty" data-testid="favorites-empty">
            {view.scope === 'favorites' && view.minRating === null ? (
              <>
                <h2>No favourites yet</h2>
                <p>
                  Press <kbd>F</kbd> on a photo, or the heart on its page, to add it here. Select several in the <Link to="/">gallery</Link> to add them at
                  once.
                </p>
              </>
            ) : (
              <>
                <h2>No photos rated {starsText(view.minRating ?? 1)}</h2>
                <p>Rate a photo with the stars on its page (or keys 1–5); ratings written by other apps in the files count too.</p>
              </>
            )}
          </section>
        }
      />
    </main>
  );
}
