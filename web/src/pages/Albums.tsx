import { useEffect, useState } from 'react';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { ErrorPanel } from '../components/ErrorPanel.js';
import { PullToRefresh } from '../components/PullToRefresh.js';
import { AlbumCard, albumCountLabel } from '../components/albums/AlbumCard.js';
import { CreateAlbumDialog } from '../components/albums/CreateAlbumDialog.js';
import { ActionStatus, type StatusMessage } from '../components/editing/ActionStatus.js';
import {
  albumUrls,
  deleteAlbum,
  dismissAlbum,
  keepAlbum,
  listAllAlbums,
  regenerateAutoAlbums,
  renameAlbum,
  type AlbumSummary,
  type RegenerateResult,
} from '../client/albums.js';
import { messageOf, useResource } from '../hooks/useResource.js';
import { formatCount } from '../lib/format.js';
import { Link, navigate } from '../lib/router.js';
import '../styles/albums.css';
import '../styles/sharing.css';

/** What a regeneration did, in a sentence. */
function regenerateSummary(result: RegenerateResult): string {
  const active = result.albums.length;
  const parts = [
    result.created ? `${formatCount(result.created)} new` : null,
    result.updated ? `${formatCount(result.updated)} updated` : null,
    result.removed ? `${formatCount(result.removed)} removed` : null,
  ].filter(Boolean);
  let text =
    active === 0
      ? `No groups of alike photos found among ${formatCount(result.photos)} photos.`
      : `${formatCount(active)} suggested ${active === 1 ? 'album' : 'albums'}${parts.length ? ` (${parts.join(', ')})` : ', nothing changed'}.`;
  if (result.pending > 0) text += ` ${formatCount(result.pending)} photos still being analysed are not included yet.`;
  return text;
}

/** Manual albums and suggested (automatic) ones: create, rename, delete, keep, dismiss, regenerate. */
export function AlbumsPage() {
  const albums = useResource('albums', (signal) => listAllAlbums(undefined, signal));
  const [creating, setCreating] = useState(false);
  const [renamingId, setRenamingId] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<AlbumSummary | null>(null);
  const [deleteBusy, setDeleteBusy] = useState(false);
  const [regenerating, setRegenerating] = useState(false);
  const [status, setStatus] = useState<StatusMessage | null>(null);

  useEffect(() => {
    document.title = 'Albums · Shoebox';
  }, []);

  const all = albums.data ?? [];
  const manual = all.filter((album) => album.kind === 'manual');
  const auto = all.filter((album) => album.kind === 'auto');

  const replace = (updated: AlbumSummary) => albums.setData((list) => list?.map((album) => (album.id === updated.id ? updated : album)) ?? null);
  const drop = (id: string) => albums.setData((list) => list?.filter((album) => album.id !== id) ?? null);

  const rename = async (album: AlbumSummary, name: string) => {
    const updated = await renameAlbum(album.id, name);
    replace(updated);
    setRenamingId(null);
    setStatus({ text: album.kind === 'auto' ? `Renamed and kept as ${updated.name}.` : `Renamed to ${updated.name}.` });
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-album-id="${album.id}"] .album-card-name`)?.focus());
  };

  const keep = async (album: AlbumSummary) => {
    setBusyId(album.id);
    try {
      const kept = await keepAlbum(album.id);
      replace(kept);
      setStatus({ text: `Kept ${kept.name}: it is one of your albums now.` });
    } catch (failure) {
      setStatus({ text: messageOf(failure), error: true });
    } finally {
      setBusyId(null);
    }
  };

  const dismiss = async (album: AlbumSummary) => {
    setBusyId(album.id);
    try {
      await dismissAlbum(album.id);
      drop(album.id);
      setStatus({
        text: `Dismissed ${album.name}; it will not be suggested again.`,
        action: {
          label: 'Undo',
          // Keeping a dismissed album brings it back (as one of the user's albums).
          run: () => {
            keepAlbum(album.id)
              .then((kept) => {
                albums.reload();
                setStatus({ text: `${kept.name} is back, kept as one of your albums.` });
              })
              .catch((failure: unknown) => setStatus({ text: messageOf(failure), error: true }));
          },
        },
      });
    } catch (failure) {
      setStatus({ text: messageOf(failure), error: true });
    } finally {
      setBusyId(null);
    }
  };

  const remove = async () => {
    if (!deleting) return;
    setDeleteBusy(true);
    try {
      await deleteAlbum(deleting.id);
      drop(deleting.id);
      setStatus({ text: `Deleted ${deleting.name}. Its photos are still in your library.` });
      setDeleting(null);
    } catch (failure) {
      setStatus({ text: messageOf(failure), error: true });
      setDeleting(null);
    } finally {
      setDeleteBusy(false);
    }
  };

  const regenerate = async () => {
    setRegenerating(true);
    setStatus({ text: 'Looking for groups of alike photos…' });
    try {
      const result = await regenerateAutoAlbums();
      setStatus({ text: regenerateSummary(result) });
      albums.reload();
    } catch (failure) {
      setStatus({ text: messageOf(failure), error: true });
    } finally {
      setRegenerating(false);
    }
  };

  const card = (album: AlbumSummary) => (
    <AlbumCard
      key={album.id}
      album={album}
      renaming={renamingId === album.id}
      busy={busyId === album.id}
      onRenameStart={() => setRenamingId(album.id)}
      onRenameCancel={() => setRenamingId(null)}
      onRename={(name) => rename(album, name)}
      onDelete={() => setDeleting(album)}
      onKeep={() => void keep(album)}
      onDismiss={() => void dismiss(album)}
    />
  );

  const regenerateButton = (
    <button type="button" className="button" onClick={() => void regenerate()} disabled={regenerating} data-testid="regenerate">
      {regenerating ? (
        <>
          <span className="spinner spinner-inline" aria-hidden="true" /> Finding albums…
        </>
      ) : auto.length > 0 ? (
        'Regenerate suggestions'
      ) : (
        'Suggest albums'
      )}
    </button>
  );

  if (albums.error && !albums.data) {
    return (
      <main className="albums-page">
        <ErrorPanel title="Could not load albums" message={albums.error.message} onRetry={albums.reload} />
      </main>
    );
  }

  return (
    <main className="albums-page" aria-busy={albums.loading}>
      <PullToRefresh onRefresh={albums.refresh} />
      <div className="page-head">
        <div>
          <h1>Albums</h1>
          {albums.data ? (
            <p className="muted page-head-sub" data-testid="albums-summary">
              {formatCount(manual.length)} {manual.length === 1 ? 'album' : 'albums'}
              {auto.length > 0 ? ` · ${formatCount(auto.length)} suggested` : ''}
            </p>
          ) : null}
        </div>
        <button type="button" className="button button-primary" onClick={() => setCreating(true)} data-testid="new-album">
          New album
        </button>
      </div>

      <ActionStatus status={status} onDismiss={() => setStatus(null)} />

      {!albums.data ? (
        <ul className="album-grid" aria-label="Loading albums">
          {Array.from({ length: 6 }, (_, i) => (
            <li key={i} className="album-card" aria-hidden="true">
              <span className="album-cover skeleton" />
              <span className="skeleton skeleton-line" />
            </li>
          ))}
        </ul>
      ) : all.length === 0 ? (
        <section className="empty" data-testid="albums-empty">
          <svg viewBox="0 0 24 24" className="empty-mark" aria-hidden="true" focusable="false">
            <rect x="3.5" y="6" width="17" height="14" rx="2" fill="currentColor" opacity="0.35" />
            <path d="M6 3.5h12" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" opacity="0.6" />
            <path d="M5.5 17l4.2-4.6 3 3.1 2.1-2.2 3.7 3.7" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinejoin="round" />
          </svg>
          <h2>No albums yet</h2>
          <p>
            Make one with <strong>New album</strong>, or select photos in the <Link to="/">gallery</Link> and choose <strong>Add to album</strong>.
          </p>
          <p className="muted">Shoebox can also suggest albums of alike photos once your photos have been analysed.</p>
          <div className="empty-actions">
            <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
              New album
            </button>
            {regenerateButton}
          </div>
        </section>
      ) : (
        <>
          <section className="albums-section" aria-labelledby="albums-yours">
            <h2 id="albums-yours" className="albums-section-title">
              Your albums <span className="muted">{formatCount(manual.length)}</span>
            </h2>
            {manual.length === 0 ? (
              <p className="muted albums-section-empty">
                None yet. Create one with New album, select photos in the <Link to="/">gallery</Link> and choose Add to album, or keep a suggestion below.
              </p>
            ) : (
              <ul className="album-grid" data-testid="manual-albums">
                {manual.map(card)}
              </ul>
            )}
          </section>

          <section className="albums-section" aria-labelledby="albums-suggested">
            <div className="albums-section-head">
              <h2 id="albums-suggested" className="albums-section-title">
                Suggested albums <span className="muted">{formatCount(auto.length)}</span>
              </h2>
              {regenerateButton}
            </div>
            <p className="muted albums-section-note">
              Shoebox groups alike photos into albums. Keep the ones you like, and they become yours; dismiss the others and they will not come back.
            </p>
            {auto.length === 0 ? (
              <p className="muted albums-section-empty">No suggestions right now. They come once photos have been analysed; regenerate to look again.</p>
            ) : (
              <ul className="album-grid" data-testid="auto-albums">
                {auto.map(card)}
              </ul>
            )}
          </section>
        </>
      )}

      <CreateAlbumDialog
        open={creating}
        onCancel={() => setCreating(false)}
        onCreated={(album) => {
          setCreating(false);
          navigate(albumUrls.page(album.id));
        }}
      />

      <ConfirmDialog
        open={deleting !== null}
        title={`Delete ${deleting?.name ?? 'album'}?`}
        confirmLabel="Delete album"
        danger
        busy={deleteBusy}
        onConfirm={() => void remove()}
        onCancel={() => setDeleting(null)}
      >
        <p>The album goes; its {deleting ? albumCountLabel(deleting) : 'photos'} stay in your library.</p>
      </ConfirmDialog>
    </main>
  );
}
