import { Link } from '../../lib/router.js';
import { ErrorPanel } from '../ErrorPanel.js';

/** The album could not be loaded: gone (deleted or dismissed), or another failure to retry. */
export function AlbumMissing({ error, onRetry }: { error: { message: string; status: number }; onRetry: () => void }) {
  return error.status === 404 ? (
    <section className="panel" data-testid="album-missing">
      <h1>This album is not here any more</h1>
      <p>It may have been deleted or dismissed. Its photos are still in your library.</p>
      <Link to="/albums" className="button button-primary">
        See all albums
      </Link>
    </section>
  ) : (
    <ErrorPanel title="Could not load this album" message={error.message} onRetry={onRetry} />
  );
}
