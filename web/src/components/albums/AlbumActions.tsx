import type { AlbumSummary } from '../../client/albums.js';
import { albumZipUrl } from '../../client/create.js';
import { exportUrls } from '../../client/exports.js';

interface Props {
  album: AlbumSummary;
  busy: boolean;
  onShare: () => void;
  onKeep: () => void;
  onDismiss: () => void;
  onRename: () => void;
  onDescribe: () => void;
  onDelete: () => void;
  /** A recipient leaves an album shared with them. */
  onLeave: () => void;
}

/** The album page's buttons: its owner's (share, keep or dismiss a suggestion, rename, delete…), or a recipient's. */
export function AlbumActions({ album, busy, onShare, onKeep, onDismiss, onRename, onDescribe, onDelete, onLeave }: Props) {
  const zip = (
    <a className="button" href={albumZipUrl(album.id)} download data-testid="album-zip">
      Download ZIP
    </a>
  );
  if (album.access !== 'owner') {
    return (
      <div className="album-actions">
        {zip}
        <button type="button" className="button" onClick={onLeave} disabled={busy} data-testid="leave-album">
          Leave album
        </button>
      </div>
    );
  }
  const auto = album.kind === 'auto';
  return (
    <div className="album-actions">
      <button type="button" className="button button-primary" onClick={onShare} data-testid="share-album">
        Share
      </button>
      {auto ? (
        <>
          <button type="button" className="button button-primary" onClick={onKeep} disabled={busy} data-testid="keep-album">
            Keep album
          </button>
          <button type="button" className="button" onClick={onDismiss} disabled={busy} data-testid="dismiss-album">
            Dismiss
          </button>
        </>
      ) : null}
      {zip}
      <a className="button" href={exportUrls.album(album.id)} download title="The originals with XMP sidecars and checksums" data-testid="album-export">
        Export with metadata
      </a>
      <button type="button" className="button" onClick={onRename} data-testid="rename-album">
        Rename
      </button>
      <button type="button" className="button" onClick={onDescribe}>
        {album.description ? 'Edit description' : 'Add a description'}
      </button>
      {!auto ? (
        <button type="button" className="button button-danger-outline" onClick={onDelete} data-testid="delete-album">
          Delete album
        </button>
      ) : null}
    </div>
  );
}
