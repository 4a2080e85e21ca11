// Share → Shoebox (issue 63 item 2): the phone's share sheet posts the files to /share, the service worker (sw.ts)
// keeps them and opens this page, which sends them where the user chooses — their library or one of their albums
// (signed in), or an upload link this browser has opened (a visitor without an account) — each with its progress.
import { useEffect, useId, useMemo, useState } from 'react';
import { listAllAlbums, type AlbumSummary } from '../client/albums.js';
import { BackupList } from '../components/backup/BackupList.js';
import { useResource } from '../hooks/useResource.js';
import { useShareSend, type ShareDestination, type ShareSend } from '../hooks/useShareSend.js';
import { formatCount, photosAndVideos } from '../lib/format.js';
import { forgetOldShares, forgetShared, sharedFiles } from '../lib/sharedFiles.js';
import { rememberedUploadLinks } from '../lib/uploadLinks.js';
import '../styles/upload.css';

/** A destination as the chooser's value: `library`, `album:<id>` or `link:<token>`. */
function destinationOf(value: string): ShareDestination {
  if (value.startsWith('album:')) return { kind: 'library', albumId: value.slice('album:'.length) };
  if (value.startsWith('link:')) return { kind: 'link', token: value.slice('link:'.length) };
  return { kind: 'library', albumId: null };
}

export function SharePage({ signedIn }: { signedIn: boolean }) {
  const id = new URLSearchParams(window.location.search).get('id') ?? '';
  const [files, setFiles] = useState<File[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    document.title = 'Share to Shoebox · Shoebox';
    void forgetOldShares(id).catch(() => undefined); // storage kept tidy; a failure here keeps the old ones, nothing else
    sharedFiles(id).then(setFiles, (failure: unknown) => {
      setProblem(`The shared files cannot be read: ${String(failure)}`);
      setFiles([]);
    });
  }, [id]);
  const sending = useShareSend(useMemo(() => files ?? [], [files]));
  // every file sent (or refused for good): they are not kept for another time; one not sent keeps them all here
  useEffect(() => {
    if (sending.phase === 'finished') void forgetShared(id);
  }, [sending.phase, id]);

  const videos = files?.filter((file) => file.type.startsWith('video/')).length ?? 0;
  return (
    <main className="import-page share-page" data-testid="share-page">
      <div className="page-head">
        <div>
          <h1>Share to Shoebox</h1>
          <p className="muted page-head-sub">
            {files && files.length > 0
              ? `${photosAndVideos(files.length, videos)} shared with Shoebox: choose where they go.`
              : 'Photos and videos shared from your phone land here.'}
          </p>
        </div>
      </div>
      {problem ? (
        <p className="banner banner-error" role="alert">
          {problem}
        </p>
      ) : null}
      {files === null ? <div className="page-loading" role="status" aria-label="Loading the shared files" /> : null}
      {files !== null && files.length === 0 && sending.phase === 'idle' ? (
        <p className="muted" data-testid="share-empty">
          Nothing shared is waiting here. On a phone, install Shoebox (the browser&apos;s Install or Add to Home Screen), then choose Share → Shoebox in your
          gallery or camera.
        </p>
      ) : null}
      {files && files.length > 0 ? (
        <ShareChooser signedIn={signedIn} sending={sending} onDiscard={() => void forgetShared(id).then(() => setFiles([]))} />
      ) : null}
    </main>
  );
}

/** Where the files go, Send and Discard, how far it is, and each file's row. */
function ShareChooser({ signedIn, sending, onDiscard }: { signedIn: boolean; sending: ShareSend; onDiscard: () => void }) {
  const id = useId();
  const albums = useResource<AlbumSummary[]>(`share-albums:${signedIn}`, (signal) => (signedIn ? listAllAlbums('manual', signal) : Promise.resolve([])));
  const links = useMemo(() => rememberedUploadLinks(), []);
  const [choice, setChoice] = useState(signedIn ? 'library' : links[0] ? `link:${links[0].token}` : '');
  const takers = (albums.data ?? []).filter((album) => album.access !== 'viewer');
  const done = sending.items.filter((item) => item.status === 'done' || item.status === 'here').length;
  const refused = sending.items.filter((item) => item.status === 'refused').length;
  const busy = sending.phase === 'sending';
  if (!signedIn && links.length === 0) {
    return (
      <>
        <p className="banner" data-testid="share-nowhere">
          To send these, <a href="/">sign in to Shoebox</a> in this browser and share them again, or open the upload link you were given first.
        </p>
        <button type="button" className="button" onClick={onDiscard}>
          Discard
        </button>
      </>
    );
  }
  return (
    <section aria-label="Send the shared files">
      <div className="share-destination">
        <label htmlFor={`${id}-to`}>Send to</label>
        <select
          id={`${id}-to`}
          value={choice}
          onChange={(event) => setChoice(event.target.value)}
          disabled={busy || sending.phase === 'finished'}
          data-testid="share-destination"
        >
          {signedIn ? <option value="library">My library (no album)</option> : null}
          {takers.map((album) => (
            <option key={album.id} value={`album:${album.id}`}>
              Album: {album.name}
            </option>
          ))}
          {links.map((link) => (
            <option key={link.token} value={`link:${link.token}`}>
              {link.title} (upload link from {link.owner})
            </option>
          ))}
        </select>
      </div>
      <div className="backup-actions">
        {sending.phase === 'finished' ? null : (
          <button
            type="button"
            className="button button-primary"
            disabled={busy}
            onClick={() => void sending.send(destinationOf(choice))}
            data-testid="share-send"
          >
            Send
          </button>
        )}
        {busy ? (
          <button type="button" className="button button-small" onClick={sending.stop}>
            Stop
          </button>
        ) : null}
        {sending.phase === 'idle' || sending.phase === 'stopped' ? (
          <button type="button" className="button" onClick={onDiscard}>
            Discard
          </button>
        ) : null}
      </div>
      {sending.phase === 'idle' ? null : (
        <p className="backup-status" role="status" aria-live="polite" data-testid="share-status">
          {formatCount(done)} of {formatCount(sending.items.length)} sent
          {sending.phase === 'finished' ? (refused > 0 ? ` · done, ${formatCount(refused)} refused` : ' · done') : ''}
          {sending.phase === 'stopped' ? ' · stopped: Send again to go on' : ''}
        </p>
      )}
      <BackupList items={sending.items} />
    </section>
  );
}
