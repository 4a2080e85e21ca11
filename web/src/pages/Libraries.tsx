import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { DEFAULT_IN_PLACE_EXCLUDES } from '../../../src/api/contract.js';
import { ApiError } from '../api.js';
import { accountApi, type Me } from '../client/account.js';
import * as librariesApi from '../client/libraries.js';
import type { AllowedRoot, InPlaceFile, InPlaceLibrary, WatchMode } from '../client/libraries.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { FormError } from '../components/FormError.js';
import { useAction } from '../hooks/useAction.js';
import { SavedCheckbox } from '../components/SavedCheckbox.js';
import { formatCount, photosAndVideos } from '../lib/format.js';

const message = (caught: unknown) => (caught instanceof ApiError ? caught.message : String(caught));
const lines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

/** One line of what a scan found, or where a running one is. */
function scanSummary(library: InPlaceLibrary): string {
  const scan = library.scan;
  if (!scan) return library.scanState === 'queued' ? 'Waiting for its first scan…' : 'Not scanned yet';
  if (scan.phase === 'listing') return `Listing the folders… ${formatCount(scan.seen)} files so far`;
  if (scan.phase === 'reading') {
    const eta = scan.etaSeconds ? `, about ${Math.max(1, Math.round(scan.etaSeconds))} s left` : '';
    return `Reading new and changed files: ${formatCount(scan.read)} of ${formatCount(scan.toRead ?? 0)} (${scan.rate}/s${eta})`;
  }
  const parts = [
    `${formatCount(scan.seen)} files`,
    `${formatCount(scan.new)} new`,
    `${formatCount(scan.changed)} changed`,
    `${formatCount(scan.moved)} moved`,
    `${formatCount(scan.gone)} gone`,
    scan.duplicates ? `${formatCount(scan.duplicates)} already in Shoebox` : null,
    scan.returned ? `${formatCount(scan.returned)} back` : null,
    scan.failed ? `${formatCount(scan.failed)} refused` : null,
  ];
  return `Last scan ${scan.finishedAt ? new Date(scan.finishedAt).toLocaleString() : ''}: ${parts.filter(Boolean).join(', ')}`;
}

/** Settings → Libraries: folders indexed in place, their scans and files that were refused; admins allow folders. */
export function LibrariesPage() {
  const [me, setMe] = useState<Me | null>(null);
  const [libraries, setLibraries] = useState<InPlaceLibrary[] | null>(null);
  const [roots, setRoots] = useState<AllowedRoot[]>([]);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(
    () =>
      librariesApi.listLibraries().then(
        (answer) => setLibraries(answer.items),
        (caught: unknown) => setError(message(caught)),
      ),
    [],
  );
  useEffect(() => {
    document.title = 'Libraries in place · Shoebox';
    accountApi.me().then(setMe, () => undefined);
    void reload();
    librariesApi.allowedRoots().then(
      (answer) => setRoots(answer.items),
      (caught: unknown) => setError(message(caught)),
    );
  }, [reload]);
  // while a scan runs (or waits), its progress every second
  const busy = libraries?.some((library) => library.scanState === 'scanning' || library.scanState === 'queued') ?? false;
  useEffect(() => {
    if (!busy) return;
    const timer = window.setInterval(() => void reload(), 1000);
    return () => window.clearInterval(timer);
  }, [busy, reload]);

  return (
    <main className="page page-narrow libraries-page">
      <div className="page-head">
        <h1>Libraries</h1>
        <p className="page-head-sub">
          Folders indexed where they are: Shoebox reads them, never copies, moves or changes the photos in them, and follows what changes there.
        </p>
      </div>
      <FormError message={error} />
      <AddLibrary roots={roots} onAdded={() => void reload()} />
      {libraries === null ? null : libraries.length === 0 ? (
        <p className="muted">No library in place yet.</p>
      ) : (
        <ul className="library-list" aria-label="Libraries in place">
          {libraries.map((library) => (
            <LibraryCard key={library.id} library={library} onChanged={() => void reload()} />
          ))}
        </ul>
      )}
      {me?.role === 'admin' && me.via === 'session' ? <AllowedRoots roots={roots} onChange={setRoots} /> : null}
    </main>
  );
}

function AddLibrary({ roots, onAdded }: { roots: AllowedRoot[]; onAdded: () => void }) {
  const [name, setName] = useState('');
  const [paths, setPaths] = useState('');
  const [exclude, setExclude] = useState(DEFAULT_IN_PLACE_EXCLUDES.join('\n'));
  const [writeBack, setWriteBack] = useState(false);
  const [watch, setWatch] = useState<WatchMode>('auto');
  const [status, setStatus] = useState<{ text: string; error?: boolean } | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const folders = lines(paths);
      const added = await librariesApi.addLibrary({
        name: name.trim() || folders[0]?.split('/').filter(Boolean).pop() || 'Photos',
        paths: folders,
        exclude: lines(exclude),
        writeBack,
        watch,
      });
      setStatus({ text: `Added ${added.name}: scanning.` });
      setName('');
      setPaths('');
      onAdded();
    } catch (caught) {
      setStatus({ text: message(caught), error: true });
    }
  };
  const present = roots.filter((root) => root.present);
  return (
    <section className="card account-section" aria-labelledby="add-library-title">
      <h2 id="add-library-title">Add a folder</h2>
      <p className="muted">
        {present.length === 0
          ? 'No folder is allowed yet: an admin sets SHOEBOX_LIBRARY_ROOTS or allows one below.'
          : `Folders inside ${present.map((root) => root.path).join(', ')} can be added.`}
      </p>
      <form className="library-form" onSubmit={submit}>
        <label className="auth-field">
          Name
          <input value={name} onChange={(event) => setName(event.target.value)} placeholder="Family photos" maxLength={200} />
        </label>
        <label className="auth-field">
          Folders (one per line)
          <textarea
            value={paths}
            onChange={(event) => setPaths(event.target.value)}
            rows={2}
            required
            placeholder={present[0] ? `${present[0].path}/Pictures` : '/photos/Pictures'}
          />
        </label>
        <label className="auth-field">
          Leave out (glob patterns, one per line)
          <textarea value={exclude} onChange={(event) => setExclude(event.target.value)} rows={2} />
        </label>
        <label className="auth-field">
          Follow changes
          <select value={watch} onChange={(event) => setWatch(event.target.value as WatchMode)}>
            <option value="auto">as they happen (this disk)</option>
            <option value="poll">by looking every few seconds (a network share)</option>
            <option value="off">only in scans</option>
          </select>
        </label>
        <label className="checkbox-field">
          <input type="checkbox" checked={writeBack} onChange={(event) => setWriteBack(event.target.checked)} />
          Write ratings, favourites, keywords and people to XMP sidecars beside the files
        </label>
        <button type="submit" className="button button-primary">
          Add and scan
        </button>
        {status ? (
          <p className={status.error ? 'form-error' : 'muted'} role={status.error ? 'alert' : 'status'}>
            {status.text}
          </p>
        ) : null}
      </form>
    </section>
  );
}

function LibraryCard({ library, onChanged }: { library: InPlaceLibrary; onChanged: () => void }) {
  const [problems, setProblems] = useState<InPlaceFile[] | null>(null);
  const [removing, setRemoving] = useState(false);
  const { busy, error, setError, run } = useAction();
  const act = (action: () => Promise<unknown>) => run(async () => (await action(), onChanged()));
  // a refusal's message is on the card already (useAction); the rejection only tells the box to go back
  const save = (action: () => Promise<unknown>) => act(action).then((saved) => (saved ? undefined : Promise.reject(new Error('not saved'))));
  const scanning = library.scanState === 'scanning' || library.scanState === 'queued';
  return (
    <li className="card library-card" data-testid="library" aria-label={library.name}>
      <div className="library-card-head">
        <h2>{library.name}</h2>
        <span className="muted">
          {photosAndVideos(library.counts.photos, library.counts.videos)}
          {library.counts.files > library.counts.photos - library.counts.offline ? ` in ${formatCount(library.counts.files)} files (some are copies)` : ''}
          {library.counts.offline ? ` · ${formatCount(library.counts.offline)} offline` : ''}
          {library.counts.refused ? ` · ${formatCount(library.counts.refused)} ${library.counts.refused === 1 ? 'file' : 'files'} refused` : ''}
        </span>
      </div>
      <ul className="library-paths">
        {library.paths.map((folder) => (
          <li key={folder}>
            <code>{folder}</code>
            {library.scan?.missingRoots.includes(folder) ? <span className="count-chip count-failed"> not there</span> : null}
          </li>
        ))}
      </ul>
      <p className="library-scan" role="status" data-testid="library-scan">
        {scanSummary(library)}
      </p>
      {library.scanState === 'failed' && library.scanError ? <p className="form-error">The last scan failed: {library.scanError}</p> : null}
      <div className="library-actions">
        <button type="button" className="button" disabled={busy || scanning} onClick={() => void act(() => librariesApi.scanLibrary(library.id))}>
          {scanning ? 'Scanning…' : 'Scan now'}
        </button>
        <SavedCheckbox
          className="checkbox-field"
          checked={library.writeBack}
          disabled={busy}
          onSave={(next) => save(() => librariesApi.changeLibrary(library.id, { writeBack: next }))}
        >
          Write back to sidecars
        </SavedCheckbox>
        {library.counts.refused > 0 || library.counts.offline > 0 ? (
          <button
            type="button"
            className="button button-ghost"
            onClick={() =>
              librariesApi.libraryProblems(library.id).then(
                (answer) => setProblems(answer.items),
                (caught: unknown) => setError(message(caught)),
              )
            }
          >
            Show files with problems
          </button>
        ) : null}
        <button type="button" className="button button-danger" disabled={busy} onClick={() => setRemoving(true)}>
          Remove
        </button>
      </div>
      <FormError message={error} />
      {problems ? (
        <ul className="library-problems" aria-label="Files with problems">
          {problems.map((file) => (
            <li key={file.path}>
              <code>{file.path}</code> — {file.error ?? `gone since ${new Date(file.missingSince!).toLocaleString()}`}
            </li>
          ))}
        </ul>
      ) : null}
      <ConfirmDialog
        open={removing}
        title={`Remove ${library.name}?`}
        confirmLabel="Remove from Shoebox"
        danger
        busy={busy}
        onCancel={() => setRemoving(false)}
        onConfirm={() => void act(() => librariesApi.removeLibrary(library.id)).finally(() => setRemoving(false))}
      >
        Its photos leave Shoebox with their albums, people and marks, except those also uploaded or in another library. The files stay where they are,
        untouched.
      </ConfirmDialog>
    </li>
  );
}

function AllowedRoots({ roots, onChange }: { roots: AllowedRoot[]; onChange: (roots: AllowedRoot[]) => void }) {
  const [path, setPath] = useState('');
  const [status, setStatus] = useState<{ text: string; error?: boolean } | null>(null);
  const run = async (action: () => Promise<{ items: AllowedRoot[] }>) => {
    try {
      onChange((await action()).items);
      setStatus(null);
    } catch (caught) {
      setStatus({ text: message(caught), error: true });
    }
  };
  return (
    <section className="card account-section" aria-labelledby="roots-title">
      <h2 id="roots-title">Allowed folders</h2>
      <p className="muted">Users may add libraries inside these folders only (checked on real paths: no way out through `..` or links).</p>
      <ul className="library-paths">
        {roots.map((root) => (
          <li key={root.path}>
            <code>{root.path}</code> <span className="muted">{root.source === 'settings' ? 'SHOEBOX_LIBRARY_ROOTS' : 'added here'}</span>
            {!root.present ? <span className="count-chip count-failed"> not there</span> : null}
            {root.source === 'admin' ? (
              <button type="button" className="button button-ghost" onClick={() => void run(() => librariesApi.removeRoot(root.path))}>
                Remove
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      <form
        className="library-form"
        onSubmit={(event) => {
          event.preventDefault();
          void run(() => librariesApi.addRoot(path)).then(() => setPath(''));
        }}
      >
        <label className="auth-field">
          Allow a folder
          <input value={path} onChange={(event) => setPath(event.target.value)} placeholder="/mnt/nas/photos" required />
        </label>
        <button type="submit" className="button">
          Allow
        </button>
        <FormError message={status?.text} />
      </form>
    </section>
  );
}
