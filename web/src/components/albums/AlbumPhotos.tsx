import { Link } from '../../lib/router.js';
import { Timeline } from '../timeline/Timeline.js';

/** The album's photos on a timeline; its owner and editors select some to take them out. */
export function AlbumPhotos({ id, count, canEdit, onRemove }: { id: string; count: number; canEdit: boolean; onRemove: (ids: string[]) => Promise<string> }) {
  return (
    <section className="album-photos" aria-label="Photos in this album">
      {count > 0 && canEdit ? <p className="muted album-select-hint">Select photos to remove them from the album; they stay in your library.</p> : null}
      <Timeline
        filter={{ album: id }}
        label="Photos in this album, newest first"
        selectable={canEdit}
        actions={canEdit ? [{ label: 'Remove from album', run: onRemove }] : []}
        empty={
          <section className="empty album-empty" data-testid="album-empty">
            <h2>This album is empty</h2>
            <p>
              Select photos in the <Link to="/">gallery</Link> and choose <strong>Add to album</strong>.
            </p>
          </section>
        }
      />
    </section>
  );
}
