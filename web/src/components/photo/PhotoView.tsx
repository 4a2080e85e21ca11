// A loaded photo: the picture (faces clickable to name them) beside its info panel — name, state, marks and
// actions, then what is known about it, section by section — with the face editor and the trash dialog.
import { lazy, Suspense, useState } from 'react';
import { renditionsChanged, renditionsVersioned, type FaceInfo } from '../../api.js';
import type { PhotoFull } from '../../client/photo.js';
import { Link } from '../../lib/router.js';
import { hasShareSheet } from '../../lib/share.js';
import { Analysis } from '../Analysis.js';
import { FaceEditor } from '../FaceEditor.js';
import { FavoriteToggle } from '../FavoriteToggle.js';
import { MetadataTable } from '../MetadataTable.js';
import { PhotoAlbums } from '../PhotoAlbums.js';
import { PhotoPeople } from '../PhotoPeople.js';
import { PreviewImage } from '../PreviewImage.js';
import { RatingInput } from '../RatingInput.js';
import { DuplicatesSection, SimilarSection } from '../RelatedPhotos.js';
import { StackSection } from './StackSection.js';
import { PhotoStateBadge } from '../StateBadge.js';
import { KeyboardHelp } from './KeyboardHelp.js';
import { MoveToTrashDialog, PhotoActions } from './PhotoActions.js';
import { PhotoEditor } from './PhotoEditor.js';
import { usePhotoEdit } from './usePhotoEdit.js';
import { ProvenanceSection } from './ProvenanceSection.js';
import { stepNote } from './stepNote.js';
import { TechnicalSections } from './TechnicalSections.js';
import { usePhotoActions } from './usePhotoActions.js';
import { MotionPhoto } from './MotionPhoto.js';
import { VideoPlayer } from './VideoPlayer.js';

/** The small map and the location picker bring Leaflet: loaded with the section, not with the photo page. */
const LocationSection = lazy(() => import('../map/LocationSection.js').then((m) => ({ default: m.LocationSection })));

interface ViewProps {
  photo: PhotoFull;
  error: string | null;
  onChanged: () => void;
  onReplaced: (photo: PhotoFull) => void;
  backTo: string;
}

export function PhotoView({ photo, error, onChanged, onReplaced, backTo }: ViewProps) {
  const actions = usePhotoActions(photo, { onChanged, onReplaced, backTo });
  const { trashed, setStatus } = actions;
  const [editingFace, setEditingFace] = useState<FaceInfo | null>(null);
  /** Someone else's photo, shared with the user: read-only (no marks, no trash, no face or album edits). */
  const own = photo.owner?.you !== false;

  const editing = usePhotoEdit(photo, { onChanged, setStatus });
  // renditions made again from an edit made here: their addresses change, so that the browser asks for them
  // (set while rendering, before the picture below reads the address; setting it again is harmless)
  const made = photo.steps.preprocessing;
  if (made?.status === 'done' && made.finishedAt && renditionsVersioned(photo.id)) renditionsChanged(photo.id, made.finishedAt);

  const faceNote = stepNote(photo, 'faces', 'No faces found.');
  /** A change made in a section: said in the status line, the photo read again. */
  const said = (message: string) => {
    setStatus(message);
    onChanged();
  };
  return (
    <div className="photo-layout">
      <div className="photo-stage">
        {photo.type === 'video' ? (
          <VideoPlayer photo={photo} />
        ) : photo.motion ? (
          <MotionPhoto photo={photo} onSelectFace={own ? setEditingFace : () => undefined} selectedFaceId={editingFace?.id ?? null} />
        ) : (
          <PreviewImage photo={photo} onSelectFace={own ? setEditingFace : () => undefined} selectedFaceId={editingFace?.id ?? null} />
        )}
      </div>
      <aside className="photo-info" aria-labelledby="photo-title">
        <header className="photo-heading">
          <h1 id="photo-title" className="photo-title" data-testid="photo-filename">
            {photo.filename}
          </h1>
          <PhotoStateBadge state={photo.state} />
        </header>
        {!own ? (
          <p className="owner-note" data-testid="photo-owner">
            <span className="badge badge-shared">Shared by {photo.owner.name}</span> <span className="muted">read-only</span>
          </p>
        ) : null}
        {error ? (
          <p className="banner banner-error" role="alert">
            {error} — trying again.
          </p>
        ) : null}
        <PhotoMarks actions={actions} own={own} />
        <PhotoActions
          photo={photo}
          own={own}
          trashed={trashed}
          retrying={actions.retrying}
          onRetry={() => void actions.retry()}
          onDelete={() => actions.setConfirming(true)}
          onArchive={actions.archived ? undefined : actions.toggleArchive}
          onEdit={photo.type === 'video' ? undefined : () => editing.setOpen(true)}
          onUndoEdit={editing.canUndo ? () => void editing.undo() : undefined}
          onShare={hasShareSheet() ? () => void actions.share() : undefined}
          sharing={actions.sharing}
        />
        <p className="photo-status" role="status" aria-live="polite" data-testid="photo-status">
          {actions.status}
        </p>
        {actions.actionError ? (
          <p className="banner banner-error" role="alert">
            {actions.actionError}
          </p>
        ) : null}
        {photo.offline ? (
          <p className="banner" data-testid="photo-offline">
            Offline: its file is not in its folder any more (deleted, moved away, or the disk is not there). Shoebox keeps it; it comes back by itself with its
            file, and goes to the trash after the library's grace period. <Link to="/settings/libraries">Libraries</Link>
          </p>
        ) : null}

        {photo.provenance ? <ProvenanceSection provenance={photo.provenance} /> : null}
        <section className="info-section" aria-labelledby="details-title">
          <h2 id="details-title">Details</h2>
          <MetadataTable photo={photo} />
        </section>

        <Suspense fallback={null}>
          <LocationSection
            photoId={photo.id}
            position={
              photo.metadata.latitude !== null && photo.metadata.longitude !== null
                ? { latitude: photo.metadata.latitude, longitude: photo.metadata.longitude }
                : null
            }
            own={own && !trashed}
            onChanged={said}
          />
        </Suspense>

        <PhotoPeople faces={photo.faces} hints={photo.peopleHints} onEdit={own ? setEditingFace : undefined} emptyNote={faceNote} />

        <Analysis photo={photo} note={(step, fallback) => stepNote(photo, step, fallback)} />

        {photo.albums && own ? <PhotoAlbums photoId={photo.id} albums={photo.albums} onAdded={said} /> : null}

        <StackSection photo={photo} onChanged={said} />

        <DuplicatesSection photo={photo} />

        <SimilarSection photo={photo} note={stepNote(photo, 'embeddings', 'Not computed yet…')} />

        <TechnicalSections photo={photo} />

        <KeyboardHelp />
      </aside>

      {editingFace ? (
        <FaceEditor key={editingFace.id} face={editingFace} hints={photo.peopleHints} onClose={() => setEditingFace(null)} onChanged={said} />
      ) : null}

      <PhotoEditor
        photo={photo}
        open={editing.open}
        busy={editing.saving}
        error={editing.error}
        onSave={(edit) => void editing.save(edit)}
        onCancel={() => editing.setOpen(false)}
      />

      <MoveToTrashDialog
        photo={photo}
        open={actions.confirming}
        busy={actions.deleting}
        onConfirm={() => void actions.remove()}
        onCancel={() => actions.setConfirming(false)}
      />
    </div>
  );
}

/** In the trash (restore), in the archive (unarchive), or its favourite and rating to change. */
function PhotoMarks({ actions, own }: { actions: ReturnType<typeof usePhotoActions>; own: boolean }) {
  const { trashed, saving } = actions;
  return (
    <>
      {trashed ? (
        <div className="banner photo-trashed" role="status" data-testid="trashed">
          <span>This photo is in the trash.</span>
          <button type="button" className="button button-small" onClick={() => void actions.restore()} data-testid="restore">
            Restore
          </button>
        </div>
      ) : null}

      {!trashed && own && actions.archived ? (
        <div className="banner photo-archived" role="status" data-testid="archived">
          <span>In the archive: out of the timeline.</span>
          <button type="button" className="button button-small" onClick={actions.toggleArchive} disabled={saving} data-testid="unarchive">
            Unarchive
          </button>
        </div>
      ) : null}
      {!trashed && own ? (
        <div className="photo-rate">
          <FavoriteToggle favorite={actions.favorite} onToggle={actions.toggleFavorite} disabled={saving} />
          <RatingInput value={actions.rating} onChange={actions.rate} disabled={saving} />
        </div>
      ) : null}
    </>
  );
}
