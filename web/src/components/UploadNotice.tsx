// The upload panel: each file with its own progress and what the server said about it (added, already in the
// library with a link to it, refused and why, failed), a summary line, collapse and dismiss.
import { memo, useEffect, useId, useRef, useState } from 'react';
import { photoUrls } from '../api.js';
import { formatBytes, formatCount, photosAndVideos } from '../lib/format.js';
import { Link } from '../lib/router.js';
import { uploads, useUploads, type UploadEntry, type UploadState } from '../store/uploads.js';
import '../styles/upload.css';

/** A finished upload without problems folds itself away after this long (unless the pointer or focus is in it). */
const AUTO_DISMISS_MS = 12_000;

interface Counts {
  added: number;
  /** Of those added, the videos. */
  addedVideos: number;
  duplicate: number;
  refused: number;
  failed: number;
  cancelled: number;
}

function countsOf(entries: readonly UploadEntry[]): Counts {
  const counts: Counts = { added: 0, addedVideos: 0, duplicate: 0, refused: 0, failed: 0, cancelled: 0 };
  for (const entry of entries) {
    if (entry.sidecar && entry.status !== 'refused' && entry.status !== 'failed') continue;
    if (entry.status in counts) counts[entry.status as keyof Counts]++;
    if (entry.status === 'added' && entry.video) counts.addedVideos++;
  }
  return counts;
}

const files = (n: number) => `${formatCount(n)} ${n === 1 ? 'file' : 'files'}`;

/** "Uploading 12 files" / "9 photos and 1 video added · 1 already in your library · 2 refused". */
function summaryText(state: UploadState, counts: Counts): string {
  if (state.active) return `Uploading ${files(state.files)}`;
  const parts: string[] = [];
  if (counts.added) parts.push(`${photosAndVideos(counts.added, counts.addedVideos)} added`);
  if (counts.duplicate) parts.push(`${formatCount(counts.duplicate)} already in your library`);
  if (counts.refused) parts.push(`${formatCount(counts.refused)} refused`);
  if (counts.failed) parts.push(`${formatCount(counts.failed)} failed`);
  if (counts.cancelled) parts.push(`${formatCount(counts.cancelled)} cancelled`);
  return parts.length > 0 ? parts.join(' · ') : 'Nothing was uploaded';
}

export function UploadNotice() {
  const state = useUploads();
  const { entries, open, collapsed, active } = state;
  const counts = countsOf(entries);
  const problems = counts.refused + counts.failed > 0;
  const listId = useId();
  const panel = useRef<HTMLElement>(null);
  const [engaged, setEngaged] = useState(false);

  // Good news goes away by itself; problems stay until dismissed.
  useEffect(() => {
    if (!open || active || problems || engaged) return;
    const timer = setTimeout(() => uploads.dismiss(), AUTO_DISMISS_MS);
    return () => clearTimeout(timer);
  }, [open, active, problems, engaged]);

  if (!open) return null;
  const pct = state.bytes > 0 ? Math.round((state.bytesSent / state.bytes) * 100) : 100;
  const tone = active ? 'busy' : problems ? 'warning' : 'success';
  return (
    <section
      ref={panel}
      className={`upload-panel upload-panel-${tone}${collapsed ? ' upload-panel-collapsed' : ''}`}
      aria-label="Uploads"
      data-testid="upload-panel"
      onPointerEnter={() => setEngaged(true)}
      onPointerLeave={() => setEngaged(false)}
      onFocus={() => setEngaged(true)}
      onBlur={(event) => {
        if (!panel.current?.contains(event.relatedTarget as Node | null)) setEngaged(false);
      }}
    >
      <header className="upload-panel-head">
        <div className="upload-panel-summary" role="status" aria-live="polite" data-testid="upload-summary">
          <strong>{summaryText(state, counts)}</strong>
          {active ? (
            <span className="upload-panel-bytes">
              {formatCount(state.filesDone)} done ·{' '}
              {state.bytesSent >= state.bytes ? 'saving…' : `${formatBytes(state.bytesSent)} of ${formatBytes(state.bytes)} sent`}
            </span>
          ) : null}
        </div>
        <button
          type="button"
          className="button button-ghost upload-panel-toggle"
          aria-expanded={!collapsed}
          aria-controls={listId}
          onClick={() => uploads.setCollapsed(!collapsed)}
          data-testid="upload-collapse"
        >
          <span className="visually-hidden">{collapsed ? 'Show the files' : 'Hide the files'}</span>
          <svg viewBox="0 0 24 24" className="icon" aria-hidden="true" focusable="false">
            <path d={collapsed ? 'm6 15 6-6 6 6' : 'm6 9 6 6 6-6'} />
          </svg>
        </button>
        {active ? (
          <button type="button" className="button button-ghost" onClick={() => uploads.cancel()} data-testid="upload-cancel">
            Cancel
          </button>
        ) : (
          <button
            type="button"
            className="button button-ghost upload-panel-close"
            onClick={() => uploads.dismiss()}
            aria-label="Dismiss the upload panel"
            data-testid="upload-dismiss"
          >
            ×
          </button>
        )}
      </header>
      {active ? <progress className="upload-panel-progress" max={100} value={pct} aria-label="Upload progress, all files" /> : null}
      <div id={listId} hidden={collapsed}>
        {!active && counts.failed + counts.cancelled > 0 ? (
          <p className="upload-panel-actions">
            <button type="button" className="button" onClick={() => uploads.retryFailed()}>
              Try the {files(counts.failed + counts.cancelled)} again
            </button>
          </p>
        ) : null}
        <ul className="upload-list" data-testid="upload-list">
          {entries.map((entry) => (
            <UploadRow key={entry.key} entry={entry} />
          ))}
        </ul>
      </div>
    </section>
  );
}

const UploadRow = memo(function UploadRow({ entry }: { entry: UploadEntry }) {
  const pct = entry.size > 0 ? Math.round((entry.sent / entry.size) * 100) : 0;
  return (
    <li className={`upload-row upload-row-${entry.status}`} data-testid="upload-row" data-status={entry.status} data-name={entry.name}>
      <span className="upload-row-name" title={entry.folder ? `${entry.folder}/${entry.name}` : entry.name}>
        {entry.folder ? <span className="upload-row-folder">{entry.folder}/</span> : null}
        {entry.name}
      </span>
      <span className="upload-row-size">{formatBytes(entry.size)}</span>
      <span className="upload-row-status">
        <RowStatus entry={entry} pct={pct} />
      </span>
    </li>
  );
});

function RowStatus({ entry, pct }: { entry: UploadEntry; pct: number }) {
  switch (entry.status) {
    case 'queued':
      return <span className="muted">Waiting</span>;
    case 'uploading':
      return (
        <>
          <progress max={100} value={pct} aria-label={`${entry.name} upload progress`} />
          <span className="upload-row-pct">{pct}%</span>
        </>
      );
    case 'saving':
      return (
        <span className="muted">
          <span className="spinner spinner-inline" aria-hidden="true" /> Saving…
        </span>
      );
    case 'added':
      return entry.sidecar ? (
        <span className="upload-ok">Attached to its photo</span>
      ) : (
        <span className="upload-ok">
          Added ·{' '}
          <Link to={photoUrls.page(entry.photoId!)} data-testid="upload-open">
            open
          </Link>
        </span>
      );
    case 'duplicate':
      return (
        <span className="upload-duplicate">
          Already in your library ·{' '}
          <Link to={photoUrls.page(entry.photoId!)} data-testid="upload-existing">
            see it
          </Link>
        </span>
      );
    case 'refused':
      return (
        <span className="upload-error" data-testid="upload-refused">
          {entry.archive ? 'Not uploaded' : 'Refused'}: {entry.message}
          {entry.archive || entry.message?.includes('brought in by Import') ? (
            <>
              {' · '}
              {/* the panel goes with the archives it listed (photos listed beside them keep it) */}
              <Link to="/import" onClick={() => uploads.getSnapshot().entries.every((e) => e.archive) && uploads.dismiss()} data-testid="upload-to-import">
                import it
              </Link>
            </>
          ) : null}
        </span>
      );
    case 'failed':
      return <span className="upload-error">Failed: {entry.message}</span>;
    case 'cancelled':
      return <span className="muted">Cancelled</span>;
    default:
      return null;
  }
}
