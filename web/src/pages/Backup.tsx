// Back up (issue 63 item 3): choose the camera roll or a folder; each file is hashed on the device and the library
// asked which it has, so that only what is new is sent, resumably (a dropped connection, a locked phone or a reload
// goes on from the last byte the server has when the same files are chosen again); what was skipped or refused says why.
import { useEffect, useId, useRef, useState, type ChangeEvent } from 'react';
import { BackupList } from '../components/backup/BackupList.js';
import { ACCEPT } from '../components/UploadButton.js';
import { useBackup, type Backup } from '../hooks/useBackup.js';
import { accountApi } from '../client/account.js';
import { waitingUploads } from '../client/backupHandOver.js';
import { dropUpload, takeOutcomes, type KeptUpload } from '../lib/backupKept.js';
import { formatCount } from '../lib/format.js';
import '../styles/upload.css';

export function BackupPage() {
  const id = useId();
  const backup = useBackup();
  const files = useRef<HTMLInputElement>(null);
  const folder = useRef<HTMLInputElement>(null);
  const me = useSignedInId();
  const background = useBackgroundOutcomes(me);
  const waiting = useWaiting(me, backup.phase);
  useEffect(() => {
    document.title = 'Back up · Shoebox';
  }, []);
  // a folder chooser is not in React's types: set on the element itself
  useEffect(() => folder.current?.setAttribute('webkitdirectory', ''), []);
  const busy = backup.phase === 'hashing' || backup.phase === 'checking' || backup.phase === 'sending';
  const onChange = (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = Array.from(event.target.files ?? []);
    event.target.value = ''; // the same files chosen again must fire change again
    if (chosen.length > 0) backup.start(chosen);
  };
  return (
    <main className="import-page backup-page">
      <div className="page-head">
        <div>
          <h1>Back up</h1>
          <p className="muted page-head-sub">
            Choose your camera roll or a folder: only the photos and videos the library does not have yet are sent, and a cut connection goes on where it
            stopped.
          </p>
        </div>
      </div>
      <section className="import-new" aria-labelledby={`${id}-choose`}>
        <h2 id={`${id}-choose`} className="visually-hidden">
          Choose
        </h2>
        <input
          ref={files}
          className="visually-hidden"
          type="file"
          multiple
          accept={`${ACCEPT},video/*`}
          onChange={onChange}
          data-testid="backup-files"
          tabIndex={-1}
        />
        <input ref={folder} className="visually-hidden" type="file" multiple onChange={onChange} data-testid="backup-folder" tabIndex={-1} />
        <div className="backup-actions">
          <button type="button" className="button button-primary" disabled={busy} onClick={() => files.current?.click()}>
            Choose photos
          </button>
          <button type="button" className="button" disabled={busy} onClick={() => folder.current?.click()}>
            Choose a folder
          </button>
          {busy ? (
            <button type="button" className="button button-small" onClick={backup.stop} data-testid="backup-stop">
              Stop
            </button>
          ) : null}
        </div>
        <BackupStatusLine backup={backup} />
        {backup.error ? (
          <p className="banner banner-error" role="alert">
            {backup.error}
          </p>
        ) : null}
      </section>
      {waiting.files.length > 0 && !busy ? (
        <section className="backup-background" aria-labelledby={`${id}-waiting`} data-testid="backup-waiting">
          <h2 id={`${id}-waiting`}>
            {formatCount(waiting.files.length)} {waiting.files.length === 1 ? 'file' : 'files'} waiting to be sent
          </h2>
          <p className="muted">A backup left them for the background; they go when the browser next gets the chance.</p>
          <div className="backup-actions">
            <button type="button" className="button button-small" onClick={() => backup.start(waiting.files.map((upload) => upload.file))}>
              Send now
            </button>
            <button type="button" className="button button-small" onClick={waiting.discard}>
              Discard
            </button>
          </div>
        </section>
      ) : null}
      {background.length > 0 ? (
        <section className="backup-background" aria-labelledby={`${id}-background`} data-testid="backup-background">
          <h2 id={`${id}-background`}>Sent after the page closed</h2>
          <ul>
            {background.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ul>
        </section>
      ) : null}
      {backup.items.length > 0 ? <BackupList items={backup.items} /> : null}
    </main>
  );
}

/**
 * What the service worker noted since the page last looked, taken out of IndexedDB once per load of the app: the page
 * may mount more than once as the app starts (a remount would otherwise find them gone).
 */
let noted: Promise<string[]> | null = null;

/** The signed-in user's id, once asked (null until then, or where it cannot be). */
function useSignedInId(): string | null {
  const [me, setMe] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    accountApi.me().then(
      (user) => live && setMe(user.id),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  return me;
}

/** What the service worker finished or refused for this user since the page was last open (a line each), shown once and forgotten. */
function useBackgroundOutcomes(me: string | null): string[] {
  const [lines, setLines] = useState<string[]>([]);
  useEffect(() => {
    if (typeof indexedDB === 'undefined' || me === null) return;
    let live = true;
    noted ??= takeOutcomes(me).catch(() => []);
    void noted.then((taken) => live && setLines(taken));
    // what the worker noted while the page was open: taken when the page is shown again (back from another app)
    const shown = () => {
      if (document.visibilityState === 'visible')
        void takeOutcomes(me).then(
          (taken) => live && taken.length > 0 && setLines((now) => [...now, ...taken]),
          () => undefined,
        );
    };
    document.addEventListener('visibilitychange', shown);
    return () => {
      live = false;
      document.removeEventListener('visibilitychange', shown);
    };
  }, [me]);
  return lines;
}

/** This user's files a backup left for the service worker, asked again whenever a backup on the page ends. */
function useWaiting(me: string | null, phase: Backup['phase']): { files: KeptUpload[]; discard: () => void } {
  const [files, setFiles] = useState<KeptUpload[]>([]);
  const [asked, setAsked] = useState(0);
  useEffect(() => {
    if (me === null) return;
    let live = true;
    void waitingUploads(me).then((kept) => live && setFiles(kept));
    return () => {
      live = false;
    };
  }, [me, phase, asked]);
  const discard = () => void Promise.all(files.map((upload) => dropUpload(upload.key).catch(() => undefined))).then(() => setAsked((n) => n + 1));
  return { files, discard };
}

/** Where the backup is: hashing, asking, how many are new and already here, and how many were sent. */
function BackupStatusLine({ backup }: { backup: Backup }) {
  const media = backup.items.filter((item) => item.status !== 'skipped' || item.reason !== 'not a photo or video').length;
  const count = (status: string) => backup.items.filter((item) => item.status === status).length;
  const lines: string[] = [];
  if (backup.phase === 'hashing') lines.push(`Looking at ${formatCount(backup.hashed)} of ${formatCount(media)} files…`);
  if (backup.phase === 'checking') lines.push('Asking the library which it has…');
  if (backup.counts) lines.push(`${formatCount(backup.counts.fresh)} new, ${formatCount(backup.counts.here)} already here`);
  if (backup.phase === 'sending' || backup.phase === 'finished' || backup.phase === 'stopped') {
    if (backup.counts && backup.counts.fresh > 0) lines.push(`${formatCount(count('done'))} of ${formatCount(backup.counts.fresh)} sent`);
  }
  if (backup.phase === 'finished') lines.push(count('refused') > 0 ? `done, ${formatCount(count('refused'))} refused` : 'done');
  if (backup.phase === 'stopped') lines.push('stopped: choose the same files again to go on');
  if (lines.length === 0) return null;
  return (
    <p className="backup-status" role="status" aria-live="polite" data-testid="backup-status">
      {lines.join(' · ')}
    </p>
  );
}
