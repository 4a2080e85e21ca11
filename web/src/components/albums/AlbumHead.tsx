import type { ReactNode } from 'react';
import type { AlbumSummary } from '../../client/albums.js';
import { NameForm } from '../editing/NameForm.js';
import { albumCountLabel } from './AlbumCard.js';
import { AlbumCover } from './AlbumCover.js';
import { DescriptionForm } from './DescriptionForm.js';

/** What of the album's head is being edited in place. */
export type AlbumEditing = 'name' | 'description' | null;

interface Props {
  /** null while it loads. */
  album: AlbumSummary | null;
  editing: AlbumEditing;
  onEditEnd: () => void;
  onRename: (name: string) => Promise<void>;
  onSaveDescription: (text: string) => Promise<void>;
  /** The buttons, shown while nothing is edited. */
  actions: ReactNode;
}

/** An album's cover, name, count, who shared it, description and tags, each edited in place where it may be. */
export function AlbumHead({ album, editing, onEditEnd, onRename, onSaveDescription, actions }: Props) {
  const auto = album?.kind === 'auto';
  return (
    <div className="album-head">
      <AlbumCover photoId={album?.coverPhotoId ?? null} lazy={false} />
      <div className="album-head-main">
        {auto ? (
          <p className="album-kind">
            <span className="badge badge-suggested">Suggested album</span>
          </p>
        ) : null}
        {editing === 'name' && album ? (
          <NameForm initial={album.name} label="Album name" onSave={onRename} onCancel={onEditEnd} className="album-title-form" />
        ) : (
          <h1 className="album-title" data-testid="album-title">
            {album ? album.name : <span className="skeleton skeleton-line album-title-skeleton" />}
          </h1>
        )}
        {album ? (
          <p className="muted album-count" data-testid="album-photo-count">
            {albumCountLabel(album)}
            {album.sharedWith > 0 ? ` · shared with ${album.sharedWith} ${album.sharedWith === 1 ? 'person' : 'people'}` : ''}
          </p>
        ) : null}
        {album && album.access !== 'owner' ? (
          <p className="owner-note" data-testid="album-owner">
            <span className="badge badge-shared">Shared by {album.owner.name}</span>{' '}
            <span className="muted">{album.access === 'editor' ? 'You can add your photos and take photos out.' : 'You can view it.'}</span>
          </p>
        ) : null}
        {editing === 'description' && album ? (
          <DescriptionForm initial={album.description ?? ''} onSave={onSaveDescription} onCancel={onEditEnd} />
        ) : album?.description ? (
          <p className="album-description" data-testid="album-description">
            {album.description}
          </p>
        ) : null}
        {auto && album && album.tags.length > 0 ? (
          <ul className="album-card-tags" aria-label="Tags">
            {album.tags.map((tag) => (
              <li key={tag} className="album-tag">
                {tag}
              </li>
            ))}
          </ul>
        ) : null}
        {album && editing === null ? actions : null}
        {auto ? (
          <p className="muted album-auto-note">
            Shoebox grouped these alike photos. Keep the album to make it yours (renaming it or changing its photos keeps it too), or dismiss it and it will not
            be suggested again.
          </p>
        ) : null}
      </div>
    </div>
  );
}
