// What the duplicates page says when there is no group to review: all reviewed, no photos yet, or none found.
import { plural } from '../../lib/format.js';
import { Link } from '../../lib/router.js';
import type { Filter } from './ReviewToolbar.js';

export function EmptyState({ filter, reviewed, libraryEmpty }: { filter: Filter; reviewed: number; libraryEmpty: boolean }) {
  if (reviewed > 0) {
    return (
      <section className="empty dup-empty" data-testid="dup-empty">
        <h2>All reviewed</h2>
        <p>
          You went through {plural(reviewed, 'group', 'groups')}. Copies found in photos you add later will show up here. Photos you moved to the trash can be
          restored from the <Link to="/trash">Trash</Link>.
        </p>
      </section>
    );
  }
  if (libraryEmpty) {
    return (
      <section className="empty dup-empty" data-testid="dup-empty">
        <h2>No photos yet</h2>
        <p>
          Drop photos anywhere on this page or run <code>shoebox import ~/Pictures</code>. Shoebox compares every photo it takes in and lists copies and bursts
          here for you to review.
        </p>
      </section>
    );
  }
  return (
    <section className="empty dup-empty" data-testid="dup-empty">
      <h2>{filter === 'burst' ? 'No bursts' : filter === 'all' ? 'Nothing to review' : 'No duplicates to review'}</h2>
      {filter === 'burst' ? (
        <p>Frames shot seconds apart with one camera are stacked as a burst. None of your photos look like that.</p>
      ) : (
        <p>
          Shoebox compares every photo it takes in. The same file twice is refused at upload; copies that were resized, recompressed, edited or mirrored are
          found by their perceptual hash (and by visual similarity when a CLIP model is installed) and listed here.
        </p>
      )}
    </section>
  );
}
