// The person page when the person could not be loaded: gone (merged or deleted), or an error with a retry; and
// the link back to the people page that tops both this and the page itself.
import type { Resource } from '../../hooks/useResource.js';
import { Link } from '../../lib/router.js';
import { ErrorPanel } from '../ErrorPanel.js';

export function BackToPeople() {
  return (
    <p className="back-row">
      <Link to="/people" className="back-link">
        ← People
      </Link>
    </p>
  );
}

export function PersonMissing({ error, onRetry }: { error: NonNullable<Resource<unknown>['error']>; onRetry: () => void }) {
  return (
    <main className="person-page">
      <BackToPeople />
      {error.status === 404 ? (
        <section className="panel" data-testid="person-missing">
          <h1>This person is not here any more</h1>
          <p>They may have been merged into someone else, or deleted. Their faces and photos are still in your library.</p>
          <Link to="/people" className="button button-primary">
            See everyone
          </Link>
        </section>
      ) : (
        <ErrorPanel title="Could not load this person" message={error.message} onRetry={onRetry} />
      )}
    </main>
  );
}
