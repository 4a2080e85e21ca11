// Import from Google Photos or iCloud: the export's archives uploaded resumably (client/imports.ts), then imported on
// the server — the tab may close once they are up — with the import's progress and report. An upload cut off is
// continued by choosing the same files again; imports before are listed with what they did.
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { createImport, listImports, removeArchive, removeImport, sendArchive, startImport, type ImportInfo, type ImportSource } from '../client/imports.js';
import { useAction } from '../hooks/useAction.js';
import { errorText, isAbort } from '../lib/errors.js';
import { formatBytes, formatCount } from '../lib/format.js';
import { Link } from '../lib/router.js';
import { ImportPicker } from '../components/imports/ImportPicker.js';
import { ImportReport } from '../components/imports/ImportReport.js';
import { uploads } from '../store/uploads.js';
import '../styles/upload.css';

const SOURCES: { value: ImportSource; label: string; hint: string }[] = [
  {
    value: 'google-takeout',
    label: 'Google Photos',
    hint: 'the .zip files of a Google Takeout (takeout.google.com → Google Photos), all of them at once, in any order',
  },
  { value: 'icloud', label: 'iCloud Photos', hint: 'the parts of an Apple “copy of your data” export (privacy.apple.com), as zips' },
];

interface Sending {
  importId: string;
  files: { name: string; size: number; sent: number }[];
}

/** While an import runs, how often it is asked again. */
const POLL_MS = 1000;

export function ImportPage() {
  const id = useId();
  // archives dropped on Upload named as Apple names an iCloud export's parts: that source chosen for them
  const [source, setSource] = useState<ImportSource>(() => (uploads.waitingArchives().some((file) => /icloud/i.test(file.name)) ? 'icloud' : 'google-takeout'));
  const [imports, setImports] = useState<ImportInfo[] | null>(null);
  const [sending, setSending] = useState<Sending | null>(null);
  const action = useAction();
  const { error, setError } = action;
  const stop = useRef<AbortController | null>(null);
  const input = useRef<HTMLInputElement>(null);
  /** The import the next files chosen go into: a new one, or one whose upload was cut off. */
  const [continuing, setContinuing] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      setImports((await listImports()).items);
    } catch (e) {
      setError(errorText(e));
    }
  }, [setError]);

  useEffect(() => {
    document.title = 'Import · Shoebox';
    void refresh();
    return () => stop.current?.abort();
  }, [refresh]);

  const running = imports?.some((item) => item.status === 'importing') ?? false;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [running, refresh]);

  const send = async (files: File[]) => {
    setError(null);
    const controller = new AbortController();
    stop.current = controller;
    let importId = continuing;
    try {
      importId ??= (await createImport(source)).id;
      // an archive the import has whole already (the same name and size) is not sent again
      const have = (await listImports()).items.find((item) => item.id === importId)?.files ?? [];
      const whole = (file: File) => have.some((f) => f.name === file.name && f.size === file.size && f.received >= file.size);
      const state: Sending = { importId, files: files.map((file) => ({ name: file.name, size: file.size, sent: 0 })) };
      setSending(state);
      // one archive at a time: each gets the whole line, and a cut-off leaves at most one partial
      const progress = (index: number, sent: number) =>
        setSending((now) => (now ? { ...now, files: now.files.map((f, i) => (i === index ? { ...f, sent } : f)) } : now));
      for (const [index, file] of files.entries()) {
        if (whole(file)) progress(index, file.size);
        else await sendArchive(importId, file, (sent) => progress(index, sent), controller.signal);
      }
      await startImport(importId);
      setContinuing(null);
    } catch (e) {
      if (!isAbort(e)) setError(errorText(e));
      // the same files chosen again go on into this import, from where the server has them
      if (importId) setContinuing(importId);
    } finally {
      setSending(null);
      stop.current = null;
      void refresh();
    }
  };

  const act = (work: () => Promise<unknown>) => action.run(work).then(refresh);

  const chosen = SOURCES.find((s) => s.value === source)!;
  return (
    <main className="import-page">
      <div className="page-head">
        <div>
          <h1>Import</h1>
          <p className="muted page-head-sub">Bring a library from Google Photos or iCloud: dates, places, albums, favourites and the archive come along.</p>
        </div>
      </div>

      <section className="import-new" aria-labelledby={`${id}-new`}>
        <h2 id={`${id}-new`}>{continuing ? 'Continue the upload' : 'New import'}</h2>
        {continuing ? (
          <p>Choose the same files again: what the server has already is not sent twice.</p>
        ) : (
          <fieldset className="segmented" disabled={sending !== null}>
            <legend className="visually-hidden">From</legend>
            {SOURCES.map((s) => (
              <label key={s.value} className="segment">
                <input
                  type="radio"
                  name={`${id}-source`}
                  checked={source === s.value}
                  onChange={() => setSource(s.value)}
                  data-testid={`import-source-${s.value}`}
                />
                <span>{s.label}</span>
              </label>
            ))}
          </fieldset>
        )}
        {continuing ? null : <p className="muted">Choose {chosen.hint}.</p>}
        <ImportPicker disabled={sending !== null} input={input} onFiles={(files) => void send(files)} onRefused={setError} />
        {continuing && !sending ? (
          <button type="button" className="button button-small" onClick={() => setContinuing(null)}>
            Cancel
          </button>
        ) : null}
        {sending ? <SendingProgress sending={sending} onStop={() => stop.current?.abort()} /> : null}
        {error ? (
          <p className="banner banner-error" role="alert" data-testid="import-error">
            {error}
          </p>
        ) : null}
      </section>

      <section aria-labelledby={`${id}-list`}>
        <h2 id={`${id}-list`}>Imports</h2>
        {imports === null ? <p className="muted">Loading…</p> : null}
        {imports?.length === 0 ? <p className="muted">None yet.</p> : null}
        <ul className="import-list" data-testid="imports">
          {imports?.map((item) => (
            <ImportCard
              key={item.id}
              item={item}
              busy={sending !== null}
              onContinue={() => {
                setContinuing(item.id);
                input.current?.click();
              }}
              onStart={() => void act(() => startImport(item.id))}
              onRemove={() => void act(() => removeImport(item.id))}
              onRemoveArchive={(uploadId) => void act(() => removeArchive(uploadId))}
            />
          ))}
        </ul>
      </section>
    </main>
  );
}

/** The archives going up, each with its progress, and the button that stops them. */
function SendingProgress({ sending, onStop }: { sending: Sending; onStop: () => void }) {
  return (
    <div className="import-sending" role="status" aria-live="polite" data-testid="import-sending">
      <ul className="upload-list">
        {sending.files.map((file) => (
          <li key={file.name} className="upload-row">
            <span className="upload-row-name">{file.name}</span>
            <span className="upload-row-size">
              {formatBytes(file.sent)} of {formatBytes(file.size)}
            </span>
            <progress max={file.size || 1} value={file.sent} aria-label={`${file.name} uploaded`} />
          </li>
        ))}
      </ul>
      <p className="muted">Closing this page stops the upload; choosing the same files again later goes on from where it stopped.</p>
      <button type="button" className="button button-small" onClick={onStop} data-testid="import-stop">
        Stop
      </button>
    </div>
  );
}

interface CardProps {
  item: ImportInfo;
  busy: boolean;
  onContinue: () => void;
  onStart: () => void;
  onRemove: () => void;
  onRemoveArchive: (uploadId: string) => void;
}

function ImportCard({ item, busy, onContinue, onStart, onRemove, onRemoveArchive }: CardProps) {
  const label = SOURCES.find((s) => s.value === item.source)?.label ?? item.source;
  const whole = item.files.length > 0 && item.files.every((file) => file.size !== null && file.received >= file.size);
  const status =
    item.status === 'importing'
      ? `Importing: ${formatCount(item.progress?.done ?? 0)} of ${formatCount(item.progress?.total ?? 0)} items`
      : item.status === 'done'
        ? `Done: ${formatCount(item.outcome?.added ?? 0)} added, ${formatCount(item.outcome?.alreadyThere ?? 0)} already in the library, ${formatCount(item.outcome?.failed ?? 0)} failed`
        : item.status === 'failed'
          ? `Stopped: ${item.error ?? 'an error'}`
          : whole
            ? 'Uploaded, not started'
            : 'Upload not finished';
  return (
    <li className="import-card" data-testid="import" data-status={item.status} data-import-id={item.id}>
      <p>
        <strong>{label}</strong> <span className="muted">{new Date(item.createdAt).toLocaleString()}</span>
      </p>
      <p data-testid="import-status">{status}</p>
      {item.status === 'importing' ? <progress max={item.progress?.total || 1} value={item.progress?.done ?? 0} aria-label="Items imported" /> : null}
      {item.files.length > 0 ? (
        <ul className="upload-list">
          {item.files.map((file) => (
            <li key={file.uploadId} className="upload-row">
              <span className="upload-row-name">{file.name}</span>
              <span className="upload-row-size">
                {file.size !== null && file.received >= file.size ? formatBytes(file.size) : `${formatBytes(file.received)} of ${formatBytes(file.size ?? 0)}`}
              </span>
              {item.status === 'uploading' || item.status === 'failed' ? (
                <button
                  type="button"
                  className="button button-small"
                  disabled={busy}
                  onClick={() => onRemoveArchive(file.uploadId)}
                  aria-label={`Take ${file.name} out of the import`}
                  data-testid="import-archive-remove"
                >
                  Take out
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {item.report ? (
        <details open={item.status === 'done'}>
          <summary>Report</summary>
          <ImportReport report={item.report} outcome={item.outcome} />
          <Link to="/">See the photos</Link>
        </details>
      ) : null}
      <p className="import-actions">
        {item.status === 'uploading' && !whole ? (
          <button type="button" className="button button-small" disabled={busy} onClick={onContinue}>
            Continue the upload
          </button>
        ) : null}
        {(item.status === 'uploading' && whole) || item.status === 'failed' ? (
          <button type="button" className="button button-small" disabled={busy} onClick={onStart} data-testid="import-start">
            {item.status === 'failed' ? 'Try again' : 'Import'}
          </button>
        ) : null}
        <button type="button" className="button button-small button-danger-outline" disabled={busy} onClick={onRemove} data-testid="import-remove">
          {item.status === 'done' ? 'Remove from the list' : item.status === 'importing' ? 'Stop and remove' : 'Remove'}
        </button>
      </p>
    </li>
  );
}
