import { useEffect, useState } from 'react';
import { api, isTerminal, photoUrls, type FaceInfo } from '../api.js';
import { photoLinks, updatePhoto, type PhotoFull } from '../client/photo.js';
import { restoreFromTrash } from '../client/trash.js';
import { Analysis } from '../components/Analysis.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { ErrorPanel } from '../components/ErrorPanel.js';
import { FaceEditor } from '../components/FaceEditor.js';
import { FavoriteToggle } from '../components/FavoriteToggle.js';
import { MetadataTable } from '../components/MetadataTable.js';
import { Palette } from '../components/Palette.js';
import { PhotoAlbums } from '../components/PhotoAlbums.js';
import { PhotoPeople } from '../components/PhotoPeople.js';
import { PreviewImage } from '../components/PreviewImage.js';
import { RatingInput } from '../components/RatingInput.js';
import { DuplicatesSection, SimilarSection } from '../components/RelatedPhotos.js';
import { PhotoStateBadge } from '../components/StateBadge.js';
import { StepsTable } from '../components/StepsTable.js';
import { usePhoto } from '../hooks/usePhoto.js';
import { useShortcuts } from '../hooks/useShortcuts.js';
import { useSwipe } from '../hooks/useSwipe.js';
import { Link, navigate, returnTo, useLocation } from '../lib/router.js';
import { library, useNeighbours } from '../store/library.js';
import '../styles/photo.css';

/** Where Esc and the back link lead: the list the photo was opened from, else the gallery. */
function useBackTarget(): { to: string; label: string } {
  const { from } = useLocation();
  if (!from || from.startsWith('/photos/')) return { to: from ?? '/', label: from ? 'Back' : 'All photos' };
  const path = from.split('?')[0]!;
  if (path === '/') return { to: from, label: 'All photos' };
  if (path === '/search') return { to: from, label: 'Search results' };
  if (path.startsWith('/albums/')) return { to: from, label: 'Album' };
  if (path === '/albums') return { to: from, label: 'Albums' };
  if (path.startsWith('/people/')) return { to: from, label: 'Person' };
  if (path === '/people') return { to: from, label: 'People' };
  if (path === '/duplicates') return { to: from, label: 'Duplicates' };
  if (path === '/trash') return { to: from, label: 'Trash' };
  return { to: from, label: 'Back' };
}

export function PhotoPage({ id }: { id: string }) {
  const { load, reload, replace } = usePhoto(id);
  const photo = load.photo;
  const { newer, older, position, total } = useNeighbours(id, photo ? (photo.metadata.takenAt ?? photo.takenAt) : undefined);
  const back = useBackTarget();

  useEffect(() => {
    document.title = photo ? `${photo.filename} — Shoebox` : 'Photo — Shoebox';
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
      <nav className="photo-nav" aria-label="Photo navigation">
        <Link
          to={back.to}
          className="back-link"
          onClick={(event) => {
            if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
            event.preventDefault();
            returnTo(back.to);
          }}
          title="Back to the list (Esc)"
        >
          <span aria-hidden="true">←</span> {back.label}
        </Link>
        <div className="stepper">
          {position !== null && total > 1 ? (
            <span className="stepper-position" data-testid="photo-position">
              {position + 1} of {total}
            </span>
          ) : null}
          {newer ? (
            <Link
              to={photoUrls.page(newer.id)}
              replace
              className="button button-ghost"
              title={`Previous: ${newer.filename} (←)`}
              rel="prev"
              data-testid="previous-photo"
            >
              <span aria-hidden="true">‹</span> Previous
            </Link>
          ) : null}
          {older ? (
            <Link
              to={photoUrls.page(older.id)}
              replace
              className="button button-ghost"
              title={`Next: ${older.filename} (→)`}
              rel="next"
              data-testid="next-photo"
            >
              Next <span aria-hidden="true">›</span>
            </Link>
          ) : null}
        </div>
      </nav>

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

function PhotoSkeleton() {
  return (
    <div className="photo-layout" aria-busy="true">
      <div className="photo-stage">
        <div className="preview" style={{ ['--ratio' as string]: 1.5 }}>
          <div className="preview-frame skeleton" />
        </div>
      </div>
      <aside className="photo-info">
        <div className="skeleton skeleton-line" style={{ width: '60%' }} />
        <div className="skeleton skeleton-line" />
        <div className="skeleton skeleton-line" />
      </aside>
    </div>
  );
}

interface ViewProps {
  photo: PhotoFull;
  error: string | null;
  onChanged: () => void;
  onReplaced: (photo: PhotoFull) => void;
  backTo: string;
}

function PhotoView({ photo, error, onChanged, onReplaced, backTo }: ViewProps) {
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [retrying, setRetrying] = useState(false);
  const [saving, setSaving] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [editingFace, setEditingFace] = useState<FaceInfo | null>(null);
  const steps = Object.values(photo.steps);
  // Only failures: a skip means a missing model or nothing to do (no text), which a retry would not change.
  const retryable = steps.some((step) => step.status === 'failed');
  const terminal = isTerminal(photo.state);
  const trashed = Boolean(photo.deletedAt);
  /** Someone else's photo, shared with the user: read-only (no marks, no trash, no face or album edits). */
  const own = photo.owner?.you !== false;
  const favorite = photo.favorite ?? false;
  const rating = photo.rating ?? null;

  const fail = (e: unknown) => setActionError(e instanceof Error ? e.message : String(e));

  /** Favourite or rating: saved at once, the gallery's copy patched so its tile agrees on the way back. */
  const change = async (patch: { favorite?: boolean; rating?: number | null }, message: string) => {
    setSaving(true);
    setActionError(null);
    onReplaced({ ...photo, ...patch });
    try {
      const updated = await updatePhoto(photo.id, patch);
      onReplaced(updated);
      library.patchLocal(new Set([photo.id]), patch);
      setStatus(message);
    } catch (e) {
      onReplaced(photo);
      fail(e);
    } finally {
      setSaving(false);
    }
  };
  const toggleFavorite = () => void change({ favorite: !favorite }, favorite ? 'Removed from favourites' : 'Added to favourites');
  const rate = (value: number | null) => void change({ rating: value }, value ? `Rated ${value} of 5` : 'Rating cleared');

  useShortcuts((key) => {
    if (saving || trashed) return false;
    if (key === 'f' || key === 'F') toggleFavorite();
    else if (/^[1-5]$/.test(key)) rate(Number(key) === rating ? null : Number(key));
    else return false;
    return true;
  });

  const retry = async () => {
    setRetrying(true);
    setActionError(null);
    try {
      await api.retryPhoto(photo.id);
      onChanged();
      void library.refresh();
      setStatus('Running the failed steps again');
    } catch (e) {
      fail(e);
    } finally {
      setRetrying(false);
    }
  };

  const remove = async () => {
    setDeleting(true);
    setActionError(null);
    try {
      await api.deletePhoto(photo.id);
      library.removeLocal(photo.id);
      setConfirming(false);
      returnTo(backTo, { replace: true });
    } catch (e) {
      setDeleting(false);
      setConfirming(false);
      fail(e);
    }
  };

  const restore = async () => {
    setActionError(null);
    try {
      await restoreFromTrash([photo.id]);
      onChanged();
      void library.refresh();
      setStatus('Restored from the trash');
    } catch (e) {
      fail(e);
    }
  };

  const faceNote = stepNote(photo, 'faces', 'No faces found.');
  return (
    <div className="photo-layout">
      <div className="photo-stage">
        <PreviewImage photo={photo} onSelectFace={own ? setEditingFace : () => undefined} selectedFaceId={editingFace?.id ?? null} />
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
        {trashed ? (
          <div className="banner photo-trashed" role="status" data-testid="trashed">
            <span>This photo is in the trash.</span>
            <button type="button" className="button button-small" onClick={() => void restore()} data-testid="restore">
              Restore
            </button>
          </div>
        ) : null}

        {!trashed && own ? (
          <div className="photo-rate">
            <FavoriteToggle favorite={favorite} onToggle={toggleFavorite} disabled={saving} />
            <RatingInput value={rating} onChange={rate} disabled={saving} />
          </div>
        ) : null}
        <div className="photo-actions">
          <a className="button" href={photoLinks.download(photo.id)} download={photo.filename} data-testid="download">
            <span aria-hidden="true">⤓</span> Download
          </a>
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
          {photo.embedding && own ? (
            <Link to={photoLinks.similarSearch(photo.id)} className="button" data-testid="find-similar-action">
              Find similar
            </Link>
          ) : null}
          {!trashed && own && photo.hasThumbnail ? (
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
            <button type="button" className="button" onClick={() => void retry()} disabled={retrying} data-testid="retry">
              {retrying ? 'Retrying…' : 'Retry failed steps'}
            </button>
          ) : null}
          {!trashed && own ? (
            <button type="button" className="button button-danger-outline" onClick={() => setConfirming(true)} data-testid="delete">
              Move to trash
            </button>
          ) : null}
        </div>
        <p className="photo-status" role="status" aria-live="polite" data-testid="photo-status">
          {status}
        </p>
        {actionError ? (
          <p className="banner banner-error" role="alert">
            {actionError}
          </p>
        ) : null}
        {photo.offline ? (
          <p className="banner" data-testid="photo-offline">
            Offline: its file is not in its folder any more (deleted, moved away, or the disk is not there). Shoebox keeps it; it
            comes back by itself with its file, and goes to the trash after the library's grace period.{' '}
            <Link to="/settings/libraries">Libraries</Link>
          </p>
        ) : null}

        {photo.provenance ? (
          <section className="info-section" aria-labelledby="provenance-title" data-testid="provenance">
            <h2 id="provenance-title">Generated</h2>
            <dl className="provenance">
              <dt>Prompt</dt>
              <dd data-testid="provenance-prompt">{photo.provenance.prompt}</dd>
              {photo.provenance.negativePrompt ? (
                <>
                  <dt>Left out</dt>
                  <dd>{photo.provenance.negativePrompt}</dd>
                </>
              ) : null}
              {photo.provenance.shot ? (
                <>
                  <dt>Product shot</dt>
                  <dd>
                    {photo.provenance.shot} of a {photo.provenance.productType}
                    {photo.provenance.composited ? ' (the product laid over the scene as photographed)' : ''}
                  </dd>
                </>
              ) : null}
              <dt>By</dt>
              <dd>
                {photo.provenance.provider} ({photo.provenance.providerKind}
                {photo.provenance.model ? `, ${photo.provenance.model}` : ''}), {photo.provenance.size}
                {photo.provenance.seed !== null ? `, seed ${photo.provenance.seed}` : ''}
              </dd>
              {photo.provenance.sourcePhotoId ? (
                <>
                  <dt>From</dt>
                  <dd>
                    <Link to={`/photos/${photo.provenance.sourcePhotoId}`}>the photo it was made from</Link>
                  </dd>
                </>
              ) : null}
            </dl>
          </section>
        ) : null}
        <section className="info-section" aria-labelledby="details-title">
          <h2 id="details-title">Details</h2>
          <MetadataTable photo={photo} />
        </section>

        <PhotoPeople faces={photo.faces} onEdit={own ? setEditingFace : undefined} emptyNote={faceNote} />

        <Analysis photo={photo} note={(step, fallback) => stepNote(photo, step, fallback)} />

        {photo.albums && own ? (
          <PhotoAlbums
            photoId={photo.id}
            albums={photo.albums}
            onAdded={(message) => {
              setStatus(message);
              onChanged();
            }}
          />
        ) : null}

        <DuplicatesSection photo={photo} />

        <SimilarSection photo={photo} note={stepNote(photo, 'embeddings', 'Not computed yet…')} />

        <section className="info-section" aria-labelledby="colours-title">
          <h2 id="colours-title">Colours</h2>
          {photo.palette && photo.palette.length > 0 ? (
            <Palette colours={photo.palette} />
          ) : (
            <p className="muted">{stepNote(photo, 'palette', 'No palette.')}</p>
          )}
        </section>

        <section className="info-section" aria-labelledby="pipeline-title">
          <h2 id="pipeline-title">Processing {!terminal ? <span className="spinner spinner-inline" aria-label="in progress" /> : null}</h2>
          <StepsTable steps={photo.steps} />
        </section>

        <section className="info-section" aria-labelledby="pdq-title">
          <h2 id="pdq-title">Perceptual hash (PDQ)</h2>
          {photo.pdq ? (
            <div className="pdq" data-testid="pdq">
              <code className="pdq-hash">{photo.pdq.hash}</code>
              <p className="sub">
                quality {photo.pdq.quality} / 100
                {photo.pdq.quality < 50 ? ' — too flat or featureless to match near-duplicates reliably' : ''}
              </p>
            </div>
          ) : (
            <p className="muted">{stepNote(photo, 'hashes', 'No hash.')}</p>
          )}
        </section>

        <KeyboardHelp />
      </aside>

      {editingFace ? (
        <FaceEditor
          key={editingFace.id}
          face={editingFace}
          onClose={() => setEditingFace(null)}
          onChanged={(message) => {
            setStatus(message);
            onChanged();
          }}
        />
      ) : null}

      <ConfirmDialog
        open={confirming}
        title="Move this photo to the trash?"
        confirmLabel="Move to trash"
        danger
        busy={deleting}
        onConfirm={() => void remove()}
        onCancel={() => setConfirming(false)}
      >
        <p>
          <strong>{photo.filename}</strong> leaves the gallery and the search. It stays in the trash, where it can be restored, until the trash is
          emptied (it empties itself after a number of days).
        </p>
        {photo.sourcePath ? <p className="muted">The file it was imported from ({photo.sourcePath}) is not touched.</p> : null}
      </ConfirmDialog>
    </div>
  );
}

const SHORTCUTS: [string, string][] = [
  ['← →', 'previous / next photo'],
  ['Esc', 'back to the list'],
  ['+ −', 'zoom in / out (also the wheel, a pinch, a double-click)'],
  ['0', 'fit the photo'],
  ['F', 'favourite'],
  ['1 – 5', 'rate'],
];

function KeyboardHelp() {
  return (
    <details className="info-section keyboard-help">
      <summary>Keyboard shortcuts</summary>
      <dl>
        {SHORTCUTS.map(([keys, what]) => (
          <div key={keys}>
            <dt>
              <kbd>{keys}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

/** Why a step's result is missing, in words. */
function stepNote(photo: PhotoFull, step: string, fallback: string): string {
  const info = photo.steps[step];
  if (!info) return fallback;
  if (info.status === 'pending' || info.status === 'running') return 'Not computed yet…';
  if (info.status === 'failed') return `Failed: ${info.error ?? 'unknown error'}`;
  if (info.status === 'skipped') return `Skipped${info.error ? `: ${info.error}` : ''}`;
  return fallback;
}
