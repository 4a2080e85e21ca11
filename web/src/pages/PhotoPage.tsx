// One photo, at /photos/<id>: its navigation (back to the list it was opened from, previous and next by button,
// arrow key or swipe) around the photo itself, loaded and kept fresh while its processing runs. The parts live
// in components/photo/.
import { useEffect } from 'react';
import { photoUrls } from '../api.js';
import { ErrorPanel } from '../components/ErrorPanel.js';
import { PhotoNav } from '../components/photo/PhotoNav.js';
import { PhotoSkeleton } from '../components/photo/PhotoSkeleton.js';
import { PhotoView } from '../components/photo/PhotoView.js';
import { useBackTarget } from '../components/photo/useBackTarget.js';
import { usePhoto } from '../hooks/usePhoto.js';
import { useShortcuts } from '../hooks/useShortcuts.js';
import { useSwipe } from '../hooks/useSwipe.js';
import { Link, navigate, returnTo } from '../lib/router.js';
import { useNeighbours } from '../store/library.js';
import '../styles/photo.css';

export function PhotoPage({ id }: { id: string }) {
  const { load, reload, replace } = usePhoto(id);
  const photo = load.photo;
  const neighbours = useNeighbours(id, photo ? (photo.metadata.takenAt ?? photo.takenAt) : undefined);
  const { newer, older } = neighbours;
  const back = useBackTarget();

  useEffect(() => {
    document.title = photo ? `${photo.filename} · Shoebox` : 'Photo · Shoebox';
  }, [photo]);

  // ← → step through the list the photo was opened from, Escape goes back to it.
  useShortcuts((key) => {
    if (key === 'ArrowLeft' && newer) navigate(photoUrls.page(newer.id), { replace: true });
    else if (key === 'ArrowRight' && older) navigate(photoUrls.page(older.id), { replace: true });
    else if (key === 'Escape') returnTo(back.to);
    else return false;
    return true;
  });

  // On a touch screen a swipe steps too: to the left for the next photo, to the right for the previous one.
  useSwipe('.photo-stage', (direction) => {
    const to = direction === 'left' ? older : newer;
    if (to) navigate(photoUrls.page(to.id), { replace: true });
  });

  return (
    <main className="photo-page">
      <PhotoNav back={back} {...neighbours} />

      {load.status === 'loading' ? <PhotoSkeleton /> : null}
      {load.status === 'not-found' ? (
        <ErrorPanel title="This photo is not in the library" message="It may have been deleted for good, or the link is incomplete.">
          <p>
            <Link to="/">Browse all photos</Link>
          </p>
        </ErrorPanel>
      ) : null}
      {load.status === 'error' ? <ErrorPanel title="The photo could not be loaded" message={load.error} onRetry={reload} /> : null}
      {load.status === 'ready' ? <PhotoView photo={load.photo} error={load.error} onChanged={reload} onReplaced={replace} backTo={back.to} /> : null}
    </main>
  );
}
