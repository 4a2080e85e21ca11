// The photo page's navigation bar: back to the list the photo was opened from, its place in that list, and the
// previous and next photos.
import { photoUrls } from '../../api.js';
import { Link, returnTo } from '../../lib/router.js';
import type { Neighbours } from '../../store/library.js';

interface Props extends Neighbours {
  back: { to: string; label: string };
}

export function PhotoNav({ back, newer, older, position, total }: Props) {
  return (
    <nav className="photo-nav" aria-label="Photo navigation">
      <Link
        to={back.to}
        className="back-link"
        onClick={(event) => {
          if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
          event.preventDefault();
          returnTo(back.to);
        }}
        title="Back to the list (Esc)"
      >
        <span aria-hidden="true">←</span> {back.label}
      </Link>
      <div className="stepper">
        {position !== null && total > 1 ? (
          <span className="stepper-position" data-testid="photo-position">
            {position + 1} of {total}
          </span>
        ) : null}
        {newer ? (
          <Link
            to={photoUrls.page(newer.id)}
            replace
            className="button button-ghost"
            title={`Previous: ${newer.filename} (←)`}
            rel="prev"
            data-testid="previous-photo"
          >
            <span aria-hidden="true">‹</span> Previous
          </Link>
        ) : null}
        {older ? (
          <Link to={photoUrls.page(older.id)} replace className="button button-ghost" title={`Next: ${older.filename} (→)`} rel="next" data-testid="next-photo">
            Next <span aria-hidden="true">›</span>
          </Link>
        ) : null}
      </div>
    </nav>
  );
}
