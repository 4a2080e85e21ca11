import { albumUrls, type AlbumSummary } from '../../client/albums.js';
import { photosAndVideos } from '../../lib/format.js';
import { Link } from '../../lib/router.js';
import { ActionMenu } from '../editing/ActionMenu.js';
import { NameForm } from '../editing/NameForm.js';
import { AlbumCover } from './AlbumCover.js';

interface Props {
  album: AlbumSummary;
  renaming: boolean;
  busy: boolean;
  onRenameStart: () => void;
  onRenameCancel: () => void;
  onRename: (name: string) => Promise<void>;
  onDelete: () => void;
  onKeep: () => void;
  onDismiss: () => void;
}

/** What an album holds, its videos named apart: "12 photos and 2 videos". */
export const albumCountLabel = (album: Pick<AlbumSummary, 'photoCount' | 'videoCount'>) => photosAndVideos(album.photoCount, album.videoCount);

/**
 * One album in the albums page: cover, name, count. A manual album has a menu (rename in place, delete); a
 * suggested (automatic) one shows its tags and Keep / Dismiss.
 */
export function AlbumCard({ album, renaming, busy, onRenameStart, onRenameCancel, onRename, onDelete, onKeep, onDismiss }: Props) {
  const href = albumUrls.page(album.id);
  const auto = album.kind === 'auto';
  const own = album.access === 'owner';
  return (
    <li className={`album-card ${busy ? 'album-card-busy' : ''}`} data-testid="album-card" data-album-id={album.id} data-kind={album.kind}>
      <Link to={href} className="album-card-cover" tabIndex={-1} aria-hidden="true">
        <AlbumCover photoId={album.coverPhotoId} />
      </Link>
      <div className="album-card-body">
        {renaming ? (
          <NameForm initial={album.name} label="Album name" onSave={onRename} onCancel={onRenameCancel} className="album-card-form" />
        ) : (
          <div className="album-card-title">
            <Link to={href} className="album-card-name" data-testid="album-name">
              {album.name}
            </Link>
            {own ? (
              <ActionMenu
                label={`Actions for ${album.name}`}
                actions={[
                  { label: 'Rename', onSelect: onRenameStart },
                  // A suggestion is dismissed rather than deleted, so that regenerating does not bring it back.
                  ...(auto
                    ? [
                        { label: 'Keep', onSelect: onKeep },
                        { label: 'Dismiss', onSelect: onDismiss },
                      ]
                    : [
                        {
                          label: 'Delete album',
                          onSelect: onDelete,
                          danger: true,
                        },
                      ]),
                ]}
              />
            ) : null}
          </div>
        )}
        <p className="album-card-count muted" data-testid="album-count">
          {albumCountLabel(album)}
        </p>
        {!own ? (
          <p className="owner-note" data-testid="album-shared-by">
            <span className="badge badge-shared">Shared by {album.owner.name}</span>
          </p>
        ) : album.sharedWith > 0 ? (
          <p className="owner-note">
            <span className="badge badge-shared">Shared</span>
          </p>
        ) : null}
        {auto && album.tags.length > 0 ? (
          <ul className="album-card-tags" aria-label="Tags">
            {album.tags.slice(0, 4).map((tag) => (
              <li key={tag} className="album-tag">
                {tag}
              </li>
            ))}
          </ul>
        ) : null}
        {auto && own && !renaming ? (
          <div className="album-card-actions">
            <button type="button" className="button button-primary" onClick={onKeep} disabled={busy} data-testid="keep-album">
              Keep
            </button>
            <button type="button" className="button" onClick={onDismiss} disabled={busy} data-testid="dismiss-album">
              Dismiss
            </button>
          </div>
        ) : null}
      </div>
    </li>
  );
}
