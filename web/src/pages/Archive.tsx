// The archive: photos kept out of the timeline (archived by hand, or by an import: Google Photos' archive, iCloud's
// hidden), still in their albums, people, favourites and search. A timeline like the gallery's, its selection bar
// offering "Unarchive".
import { useEffect, useMemo } from 'react';
import type { LibraryFilter } from '../client/library.js';
import { Timeline } from '../components/timeline/Timeline.js';
import { photosAndVideos } from '../lib/format.js';
import { Link } from '../lib/router.js';
import { library, useSequence } from '../store/library.js';
import '../styles/gallery.css';

export function ArchivePage() {
  const filter = useMemo<LibraryFilter>(() => ({ archived: 'only' }), []);
  const sequence = useMemo(() => library.sequence(filter), [filter]);
  const state = useSequence(sequence);
  const total = state.timeline?.total ?? null;

  useEffect(() => {
    document.title = 'Archive · Shoebox';
  }, []);

  // photos may have been archived or brought back elsewhere since this view was last loaded
  useEffect(() => {
    if (sequence.getSnapshot().status !== 'idle') void sequence.refresh();
  }, [sequence]);

  return (
    <main className="gallery archive-page">
      <div className="page-head">
        <div>
          <h1 data-testid="archive-title">Archive</h1>
          <p className="muted page-head-sub" data-testid="archive-summary">
            {total === null ? '…' : `${photosAndVideos(total, state.timeline?.videos ?? 0)}, out of the timeline; still in albums, people and search`}
          </p>
        </div>
      </div>
      <Timeline
        filter={filter}
        label="Archived photos, newest first"
        empty={
          <section className="empty" data-testid="archive-empty">
            <h2>Nothing archived</h2>
            <p>
              Select photos in the <Link to="/">gallery</Link> and choose “Archive” to keep them out of the timeline without deleting them: screenshots,
              receipts, photos you keep but do not want to scroll past.
            </p>
          </section>
        }
      />
    </main>
  );
}
