import { albumZipUrl } from '../client/create.js';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { ErrorPanel } from '../components/ErrorPanel.js';
import { AlbumCover } from '../components/albums/AlbumCover.js';
import { photoCountLabel } from '../components/albums/AlbumCard.js';
import { ActionStatus, type StatusMessage } from '../components/editing/ActionStatus.js';
import { NameForm } from '../components/editing/NameForm.js';
import { Timeline } from '../components/timeline/Timeline.js';
import { ShareDialog } from '../components/sharing/ShareDialog.js';
import { sharingApi } from '../client/sharing.js';
import { accountApi } from '../client/account.js';
import {
  deleteAlbum,
  dismissAlbum,
  getAlbum,
  keepAlbum,
  removePhotosFromAlbum,
  updateAlbum,
  type AlbumDetail,
  type AlbumSummary,
} from '../client/albums.js';
import { exportUrls } from '../client/exports.js';
import { messageOf, useResource } from '../hooks/useResource.js';
import { Link, navigate } from '../lib/router.js';
import { library } from '../store/library.js';
import '../styles/albums.css';
import '../styles/sharing.css';

/** The summary part of an album's answer (its first page of photos is not used: the timeline loads them). */
const summaryOf = ({ photos: _photos, ...summary }: AlbumDetail): AlbumSummary => summary;

/** One album: its name (renamed in place), description, its photos (remove some), keep/dismiss when suggested. */
export function AlbumPage({ id }: { id: string }) {
  const album = useResource(`album:${id}`, async (signal) => summaryOf(await getAlbum(id, { limit: 1 }, signal)));
  const [renaming, setRenaming] = useState(false);
  const [editingDescription, setEditingDescription] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [sharing, setSharing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<StatusMessage | null>(null);
  const filter = { album: id };

  const current = album.data;
  useEffect(() => {
    document.title = `${current?.name ?? 'Album'} — Shoebox`;
  }, [current?.name]);

  // The timeline keeps orderings it has seen; photos may have been added elsewhere since this album was last open.
  useEffect(() => {
    const sequence = library.sequence({ album: id });
    if (sequence.getSnapshot().status !== 'idle') void sequence.refresh();
  }, [id]);

  const rename = async (name: string) => {
    const wasAuto = current?.kind === 'auto';
    const updated = await updateAlbum(id, { name });
    album.setData(() => updated);
    setRenaming(false);
    setStatus({
      text: wasAuto ? `Renamed to ${updated.name} and kept as one of your albums.` : `Renamed to ${updated.name}.`,
    });
  };

  const saveDescription = async (description: string) => {
    const updated = await updateAlbum(id, {
      description: description.trim() || null,
    });
    album.setData(() => updated);
    setEditingDescription(false);
    setStatus({
      text: updated.description ? 'Description saved.' : 'Description removed.',
    });
  };

  const keep = async () => {
    setBusy(true);
    try {
      const kept = await keepAlbum(id);
      album.setData(() => kept);
      setStatus({ text: 'Kept: this is one of your albums now.' });
    } catch (failure) {
      setStatus({ text: messageOf(failure), error: true });
    } finally {
      setBusy(false);
    }
  };

  const dismiss = async () => {
    setBusy(true);
    try {
      await dismissAlbum(id);
      navigate('/albums', { replace: true });
    } catch (failure) {
      setStatus({ text: messageOf(failure), error: true });
      setBusy(false);
    }
  };

  const remove = async () => {
    setBusy(true);
    try {
      await deleteAlbum(id);
      navigate('/albums', { replace: true });
    } catch (failure) {
      setConfirmDelete(false);
      setBusy(false);
      setStatus({ text: messageOf(failure), error: true });
    }
  };

  /** A recipient leaves an album shared with them. */
  const leave = async () => {
    setBusy(true);
    try {
      const me = await accountApi.me();
      await sharingApi.unshareAlbum(id, me.id);
      navigate('/albums', { replace: true });
    } catch (failure) {
      setBusy(false);
      setStatus({ text: messageOf(failure), error: true });
    }
  };

  const removePhotos = async (ids: string[]): Promise<string> => {
    const wasAuto = current?.kind === 'auto';
    const { album: updated, removed } = await removePhotosFromAlbum(id, ids);
    album.setData(() => updated);
    await library.sequence({ album: id }).refresh();
    const text = `Removed ${photoCountLabel(removed)} from this album; they are still in your library.`;
    return wasAuto && updated.kind === 'manual' ? `${text} The album is one of yours now.` : text;
  };

  const back = (
    <p className="back-row">
      <Link to="/albums" className="back-link">
        ← Albums
      </Link>
    </p>
  );

  if (album.error && !current) {
    return (
      <main className="album-page">
        {back}
        {album.error.status === 404 ? (
          <section className="panel" data-testid="album-missing">
            <h1>This album is not here any more</h1>
            <p>It may have been deleted or dismissed. Its photos are still in your library.</p>
            <Link to="/albums" className="button button-primary">
              See all albums
            </Link>
          </section>
        ) : (
          <ErrorPanel title="Could not load this album" message={album.error.message} onRetry={album.reload} />
        )}
      </main>
    );
  }

  const auto = current?.kind === 'auto';
  const owner = current?.access === 'owner';
  const canEditPhotos = current?.access === 'owner' || current?.access === 'editor';
  return (
    <main className="album-page" aria-busy={album.loading}>
      {back}
      <div className="album-head">
        <AlbumCover photoId={current?.coverPhotoId ?? null} lazy={false} />
        <div className="album-head-main">
          {auto ? (
            <p className="album-kind">
              <span className="badge badge-suggested">Suggested album</span>
            </p>
          ) : null}
          {renaming && current ? (
            <NameForm initial={current.name} label="Album name" onSave={rename} onCancel={() => setRenaming(false)} className="album-title-form" />
          ) : (
            <h1 className="album-title" data-testid="album-title">
              {current ? current.name : <span className="skeleton skeleton-line album-title-skeleton" />}
            </h1>
          )}
          {current ? (
            <p className="muted album-count" data-testid="album-photo-count">
              {photoCountLabel(current.photoCount)}
              {current.sharedWith > 0 ? ` · shared with ${current.sharedWith} ${current.sharedWith === 1 ? 'person' : 'people'}` : ''}
            </p>
          ) : null}
          {current && !owner ? (
            <p className="owner-note" data-testid="album-owner">
              <span className="badge badge-shared">Shared by {current.owner.name}</span>{' '}
              <span className="muted">{current.access === 'editor' ? 'You can add your photos and take photos out.' : 'You can view it.'}</span>
            </p>
          ) : null}
          {editingDescription && current ? (
            <DescriptionForm initial={current.description ?? ''} onSave={saveDescription} onCancel={() => setEditingDescription(false)} />
          ) : current?.description ? (
            <p className="album-description" data-testid="album-description">
              {current.description}
            </p>
          ) : null}
          {auto && current && current.tags.length > 0 ? (
            <ul className="album-card-tags" aria-label="Tags">
              {current.tags.map((tag) => (
                <li key={tag} className="album-tag">
                  {tag}
                </li>
              ))}
            </ul>
          ) : null}
          {current && !owner ? (
            <div className="album-actions">
              <a className="button" href={albumZipUrl(current.id)} download data-testid="album-zip">
                Download ZIP
              </a>
              <button type="button" className="button" onClick={() => void leave()} disabled={busy} data-testid="leave-album">
                Leave album
              </button>
            </div>
          ) : null}
          {current && owner && !renaming && !editingDescription ? (
            <div className="album-actions">
              <button type="button" className="button button-primary" onClick={() => setSharing(true)} data-testid="share-album">
                Share
              </button>
              {auto ? (
                <>
                  <button type="button" className="button button-primary" onClick={() => void keep()} disabled={busy} data-testid="keep-album">
                    Keep album
                  </button>
                  <button type="button" className="button" onClick={() => void dismiss()} disabled={busy} data-testid="dismiss-album">
                    Dismiss
                  </button>
                </>
              ) : null}
              <a className="button" href={albumZipUrl(current.id)} download data-testid="album-zip">
                Download ZIP
              </a>
              <a className="button" href={exportUrls.album(current.id)} download title="The originals with XMP sidecars and checksums" data-testid="album-export">
                Export with metadata
              </a>
              <button type="button" className="button" onClick={() => setRenaming(true)} data-testid="rename-album">
                Rename
              </button>
              <button type="button" className="button" onClick={() => setEditingDescription(true)}>
                {current.description ? 'Edit description' : 'Add a description'}
              </button>
              {!auto ? (
                <button type="button" className="button button-danger-outline" onClick={() => setConfirmDelete(true)} data-testid="delete-album">
                  Delete album
                </button>
              ) : null}
            </div>
          ) : null}
          {auto ? (
            <p className="muted album-auto-note">
              Shoebox grouped these alike photos. Keep the album to make it yours (renaming it or changing its photos keeps it too), or dismiss it and
              it will not be suggested again.
            </p>
          ) : null}
        </div>
      </div>

      <ActionStatus status={status} onDismiss={() => setStatus(null)} />

      <section className="album-photos" aria-label="Photos in this album">
        {current && current.photoCount > 0 && canEditPhotos ? (
          <p className="muted album-select-hint">Select photos to remove them from the album; they stay in your library.</p>
        ) : null}
        <Timeline
          filter={filter}
          label="Photos in this album, newest first"
          selectable={owner || current?.access === 'editor'}
          actions={canEditPhotos ? [{ label: 'Remove from album', run: removePhotos }] : []}
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

      {owner && current && sharing ? (
        <ShareDialog open={sharing} albumId={id} title={`Share “${current.name}”`} onClose={() => setSharing(false)} onChanged={album.reload} />
      ) : null}
      <ConfirmDialog
        open={confirmDelete}
        title={`Delete ${current?.name ?? 'this album'}?`}
        confirmLabel="Delete album"
        danger
        busy={busy}
        onConfirm={() => void remove()}
        onCancel={() => setConfirmDelete(false)}
      >
        <p>The album goes; its {current ? photoCountLabel(current.photoCount) : 'photos'} stay in your library.</p>
      </ConfirmDialog>
    </main>
  );
}

/** The album's description, edited in place (empty removes it). */
function DescriptionForm({ initial, onSave, onCancel }: { initial: string; onSave: (text: string) => Promise<void>; onCancel: () => void }) {
  const [text, setText] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const fieldId = useId();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSave(text);
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
    }
  };
  return (
    <form
      className="album-description-form"
      onSubmit={(event) => void submit(event)}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !busy) {
          event.preventDefault();
          event.stopPropagation();
          onCancel();
        }
      }}
    >
      <label htmlFor={fieldId} className="visually-hidden">
        Description
      </label>
      <textarea id={fieldId} value={text} maxLength={10_000} autoFocus disabled={busy} onChange={(event) => setText(event.target.value)} />
      {error ? (
        <p className="name-form-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="name-form-actions">
        <button type="submit" className="button button-primary name-form-button" disabled={busy}>
          {busy ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="button name-form-button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
