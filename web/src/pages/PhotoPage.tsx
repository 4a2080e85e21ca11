import { Analysis } from '../components/Analysis.js';
import { useEffect, useState } from 'react';
import { api, isTerminal, photoUrls, type PhotoDetail, type PhotoSummary } from '../api.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { ErrorPanel } from '../components/ErrorPanel.js';
import { MetadataTable } from '../components/MetadataTable.js';
import { Palette } from '../components/Palette.js';
import { PreviewImage } from '../components/PreviewImage.js';
import { PhotoStateBadge } from '../components/StateBadge.js';
import { StepsTable } from '../components/StepsTable.js';
import { usePhoto } from '../hooks/usePhoto.js';
import { Link, navigate, returnTo } from '../lib/router.js';
import { library, useLibrary } from '../store/library.js';

/** The photos either side of this one in the gallery's order, when the gallery has them loaded. */
function useNeighbours(id: string): { newer: PhotoSummary | null; older: PhotoSummary | null } {
  const { items, total } = useLibrary();
  const index = items.findIndex((item) => item.id === id);
  useEffect(() => {
    // Stepping towards the end of what is loaded: fetch the next page so that "older" keeps working.
    if (index !== -1 && index >= items.length - 3 && items.length < total) void library.loadMore();
  }, [index, items.length, total]);
  if (index === -1) return { newer: null, older: null };
  return { newer: items[index - 1] ?? null, older: items[index + 1] ?? null };
}

const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

export function PhotoPage({ id }: { id: string }) {
  const { load, reload } = usePhoto(id);
  const { newer, older } = useNeighbours(id);
  const photo = load.photo;

  useEffect(() => {
    document.title = photo ? `${photo.filename} — Shoebox` : 'Photo — Shoebox';
  }, [photo]);

  // ← → step through the library, Escape goes back to the gallery.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
      if (document.querySelector('dialog[open]')) return;
      if (event.key === 'ArrowLeft' && newer) navigate(photoUrls.page(newer.id), { replace: true });
      else if (event.key === 'ArrowRight' && older) navigate(photoUrls.page(older.id), { replace: true });
      else if (event.key === 'Escape') returnTo('/');
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [newer, older]);

  return (
    <main className="photo-page">
      <nav className="photo-nav" aria-label="Photo navigation">
        <Link
          to="/"
          className="back-link"
          onClick={(event) => {
            if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
            event.preventDefault();
            returnTo('/');
          }}
        >
          <span aria-hidden="true">←</span> All photos
        </Link>
        <div className="stepper">
          {newer ? (
            <Link to={photoUrls.page(newer.id)} replace className="button button-ghost" title={`Newer: ${newer.filename} (←)`} rel="prev">
              <span aria-hidden="true">‹</span> Newer
            </Link>
          ) : null}
          {older ? (
            <Link to={photoUrls.page(older.id)} replace className="button button-ghost" title={`Older: ${older.filename} (→)`} rel="next">
              Older <span aria-hidden="true">›</span>
            </Link>
          ) : null}
        </div>
      </nav>

      {load.status === 'loading' ? <PhotoSkeleton /> : null}
      {load.status === 'not-found' ? (
        <ErrorPanel title="This photo is not in the library" message="It may have been deleted, or the link is incomplete.">
          <p>
            <Link to="/">Browse all photos</Link>
          </p>
        </ErrorPanel>
      ) : null}
      {load.status === 'error' ? <ErrorPanel title="The photo could not be loaded" message={load.error} onRetry={reload} /> : null}
      {load.status === 'ready' ? <PhotoView photo={load.photo} error={load.error} onChanged={reload} /> : null}
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

function PhotoView({ photo, error, onChanged }: { photo: PhotoDetail; error: string | null; onChanged: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [retrying, setRetrying] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const steps = Object.values(photo.steps);
  // Only failures: a skip means a missing model or nothing to do (no text), which a retry would not change.
  const retryable = steps.some((step) => step.status === 'failed');
  const terminal = isTerminal(photo.state);

  const retry = async () => {
    setRetrying(true);
    setActionError(null);
    try {
      await api.retryPhoto(photo.id);
      onChanged();
      void library.refresh();
    } catch (e) {
      setActionError(e instanceof Error ? e.message : String(e));
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
      returnTo('/', { replace: true });
    } catch (e) {
      setDeleting(false);
      setConfirming(false);
      setActionError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <div className="photo-layout">
      <div className="photo-stage">
        <PreviewImage photo={photo} />
      </div>
      <aside className="photo-info" aria-labelledby="photo-title">
        <header className="photo-heading">
          <h1 id="photo-title" className="photo-title" data-testid="photo-filename">
            {photo.filename}
          </h1>
          <PhotoStateBadge state={photo.state} />
        </header>
        {error ? (
          <p className="banner banner-error" role="alert">
            {error} — trying again.
          </p>
        ) : null}
        <div className="photo-actions">
          <a className="button" href={photoUrls.original(photo.id)} target="_blank" rel="noopener" data-testid="original-link">
            Open original
          </a>
          <a className="button" href={photoUrls.original(photo.id)} download={photo.filename}>
            Download
          </a>
          {retryable && terminal ? (
            <button type="button" className="button" onClick={() => void retry()} disabled={retrying} data-testid="retry">
              {retrying ? 'Retrying…' : 'Retry failed steps'}
            </button>
          ) : null}
          <button type="button" className="button button-danger-outline" onClick={() => setConfirming(true)} data-testid="delete">
            Move to trash
          </button>
        </div>
        {actionError ? (
          <p className="banner banner-error" role="alert">
            {actionError}
          </p>
        ) : null}

        <section className="info-section" aria-labelledby="details-title">
          <h2 id="details-title">Details</h2>
          <MetadataTable photo={photo} />
        </section>

        <Analysis photo={photo} note={(step, fallback) => stepNote(photo, step, fallback)} />

        <section className="info-section" aria-labelledby="colours-title">
          <h2 id="colours-title">Colours</h2>
          {photo.palette && photo.palette.length > 0 ? (
            <Palette colours={photo.palette} />
          ) : (
            <p className="muted">{stepNote(photo, 'palette', 'No palette.')}</p>
          )}
        </section>

        <section className="info-section" aria-labelledby="pipeline-title">
          <h2 id="pipeline-title">
            Processing {!terminal ? <span className="spinner spinner-inline" aria-label="in progress" /> : null}
          </h2>
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
      </aside>

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
          <strong>{photo.filename}</strong> leaves the gallery and the search. It stays in the trash, where it can be
          restored, until the trash is emptied (it empties itself after a number of days).
        </p>
        {photo.sourcePath ? <p className="muted">The file it was imported from ({photo.sourcePath}) is not touched.</p> : null}
      </ConfirmDialog>
    </div>
  );
}

/** Why a step's result is missing, in words. */
function stepNote(photo: PhotoDetail, step: string, fallback: string): string {
  const info = photo.steps[step];
  if (!info) return fallback;
  if (info.status === 'pending' || info.status === 'running') return 'Not computed yet…';
  if (info.status === 'failed') return `Failed: ${info.error ?? 'unknown error'}`;
  if (info.status === 'skipped') return `Skipped${info.error ? `: ${info.error}` : ''}`;
  return fallback;
}
