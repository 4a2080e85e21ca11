// The photo's action buttons (download, its motion video's too, share, open the original, rotate and crop, find similar, create from it, retry, move to the
// trash) and the dialog that confirms the move to the trash.
import { isTerminal, photoUrls } from '../../api.js';
import { photoLinks, type PhotoFull } from '../../client/photo.js';
import { Link } from '../../lib/router.js';
import { useCreationTools } from '../../store/creationTools.js';
import { ConfirmDialog } from '../ConfirmDialog.js';

interface Props {
  photo: PhotoFull;
  /** The user's own photo (not one shared with them, which is read-only). */
  own: boolean;
  trashed: boolean;
  retrying: boolean;
  onRetry: () => void;
  onDelete: () => void;
  /** Opens the editor (rotate and crop); absent for a video, which is not edited. */
  onEdit?: () => void;
  /** Takes the last edit made here back; absent when there is none. */
  onUndoEdit?: () => void;
  /** Puts the photo in the archive; absent when it is there already (the banner above brings it back). */
  onArchive?: () => void;
  /** Opens the system's share sheet with the photo's file; absent where the browser has none. */
  onShare?: () => void;
  sharing?: boolean;
}

export function PhotoActions({ photo, own, trashed, retrying, onRetry, onDelete, onEdit, onUndoEdit, onArchive, onShare, sharing = false }: Props) {
  // Only failures: a skip means a missing model or nothing to do (no text), which a retry would not change.
  const retryable = Object.values(photo.steps).some((step) => step.status === 'failed');
  const terminal = isTerminal(photo.state);
  const creation = useCreationTools();
  return (
    <div className="photo-actions">
      <a className="button" href={photoLinks.download(photo.id)} download={photo.filename} data-testid="download">
        <span aria-hidden="true">⤓</span> Download
      </a>
      {photo.motion ? (
        <a className="button" href={photoLinks.downloadMotion(photo.id)} download data-testid="download-motion" title="Download the photo's video part">
          <span aria-hidden="true">⤓</span> Video part
        </a>
      ) : null}
      {onShare ? (
        <button type="button" className="button" onClick={onShare} disabled={sharing} data-testid="share-photo" title="Send the photo to another app">
          {sharing ? 'Sharing…' : 'Share'}
        </button>
      ) : null}
      <a
        className="button"
        href={photoUrls.original(photo.id)}
        target="_blank"
        rel="noopener"
        data-testid="original-link"
        title="Open the original file in a new tab"
      >
        Open original
      </a>
      {!trashed && own && photo.hasThumbnail && onEdit ? (
        <button type="button" className="button" onClick={onEdit} data-testid="edit-photo">
          Rotate and crop
        </button>
      ) : null}
      {onUndoEdit && own ? (
        <button type="button" className="button" onClick={onUndoEdit} data-testid="undo-edit">
          Undo edit
        </button>
      ) : null}
      {photo.embedding && own ? (
        <Link to={photoLinks.similarSearch(photo.id)} className="button" data-testid="find-similar-action">
          Find similar
        </Link>
      ) : null}
      {!trashed && own && photo.hasThumbnail && onEdit && creation.on ? (
        <>
          <Link to={`/create?from=${photo.id}`} className="button" data-testid="inspired-action">
            Inspired by this
          </Link>
          <Link to={`/create?products=${photo.id}`} className="button" data-testid="product-shots-action">
            Product shots
          </Link>
        </>
      ) : null}
      {retryable && terminal && own ? (
        <button type="button" className="button" onClick={onRetry} disabled={retrying} data-testid="retry">
          {retrying ? 'Retrying…' : 'Retry failed steps'}
        </button>
      ) : null}
      {!trashed && own && onArchive ? (
        <button type="button" className="button" onClick={onArchive} title="Out of the timeline, still in its albums and search" data-testid="archive">
          Archive
        </button>
      ) : null}
      {!trashed && own ? (
        <button type="button" className="button button-danger-outline" onClick={onDelete} data-testid="delete">
          Move to trash
        </button>
      ) : null}
    </div>
  );
}

interface DialogProps {
  photo: PhotoFull;
  open: boolean;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

export function MoveToTrashDialog({ photo, open, busy, onConfirm, onCancel }: DialogProps) {
  return (
    <ConfirmDialog open={open} title="Move this photo to the trash?" confirmLabel="Move to trash" danger busy={busy} onConfirm={onConfirm} onCancel={onCancel}>
      <p>
        <strong>{photo.filename}</strong> leaves the gallery and the search. It stays in the trash, where it can be restored, until the trash is emptied (it
        empties itself after a number of days).
      </p>
      {photo.sourcePath ? <p className="muted">The file it was imported from ({photo.sourcePath}) is not touched.</p> : null}
    </ConfirmDialog>
  );
}
