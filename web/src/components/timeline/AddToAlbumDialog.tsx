// "Add to album": choose one of the albums (typing narrows the list) or name a new one. Offline the list is the one
// this device kept (the service worker's), adding to one of them waits to be sent, and a new album is refused.
import { useEffect, useId, useMemo, useState } from 'react';
import { useAction } from '../../hooks/useAction.js';
import { Dialog } from '../Dialog.js';
import { photoUrls } from '../../api.js';
import { addPhotosToAlbum, createAlbum, listAllAlbums, type AlbumSummary } from '../../client/albums.js';
import { photosAndVideos } from '../../lib/format.js';
import { keepOfflineChange, whenReachable } from '../../store/offlineChanges.js';

interface Props {
  open: boolean;
  /** The items to add, in words: "2 photos and 1 video". */
  label: string;
  photoIds: string[];
  onCancel: () => void;
  /** `queued`: offline, kept to be sent once back. */
  onAdded: (album: { id: string; name: string }, added: number, queued?: boolean) => void;
}

const NEW = '__new__';

export function AddToAlbumDialog({ open, label, photoIds, onCancel, onAdded }: Props) {
  const [albums, setAlbums] = useState<AlbumSummary[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [choice, setChoice] = useState<string | null>(null);
  const { busy, error, setError, run } = useAction();
  const inputId = useId();

  // Fresh list every time it opens (albums made elsewhere meanwhile).
  useEffect(() => {
    if (!open) return;
    setQuery('');
    setChoice(null);
    setError(null);
    setLoadError(null);
    const controller = new AbortController();
    listAllAlbums(undefined, controller.signal).then(
      (items) => setAlbums([...items].sort((a, b) => Number(a.kind !== 'manual') - Number(b.kind !== 'manual'))),
      (e: unknown) => {
        if (!controller.signal.aborted) setLoadError(e instanceof Error ? e.message : String(e));
      },
    );
    return () => controller.abort();
  }, [open, setError]);

  const name = query.trim();
  const shown = useMemo(() => {
    const q = name.toLowerCase();
    return (albums ?? []).filter((album) => !q || album.name.toLowerCase().includes(q));
  }, [albums, name]);
  const exact = shown.find((album) => album.name.toLowerCase() === name.toLowerCase());
  const offerNew = name !== '' && !exact;
  // Typing a new name chooses "new album"; typing an existing one chooses it.
  const selected = choice ?? (exact ? exact.id : offerNew ? NEW : null);

  const add = () =>
    void run(async () => {
      if (selected === NEW) {
        const album = await createAlbum({ name, photoIds });
        onAdded(album, photoIds.length);
      } else if (selected) {
        const done = await whenReachable(() => addPhotosToAlbum(selected, photoIds));
        if (done) onAdded(done.answer.album, done.answer.added);
        else {
          // the server cannot be reached: it waits, sent once it answers (store/offlineChanges.ts)
          const album = { id: selected, name: albums?.find((a) => a.id === selected)?.name ?? '' };
          keepOfflineChange({ kind: 'album', ids: photoIds, albumId: album.id, albumName: album.name });
          onAdded(album, photoIds.length, true);
        }
      }
    });

  return (
    <Dialog
      open={open}
      title={`Add ${label} to an album`}
      busy={busy}
      onCancel={onCancel}
      form
      className="album-dialog"
      testId="album-dialog"
      action={{ label: selected === NEW ? 'Create and add' : 'Add', busyLabel: 'Adding…', disabled: !selected, onAction: add, testId: 'album-add' }}
    >
      <label htmlFor={inputId} className="album-dialog-label">
        Find an album, or name a new one
      </label>
      <input
        id={inputId}
        className="input"
        type="text"
        value={query}
        autoComplete="off"
        autoFocus
        onChange={(event) => {
          setQuery(event.target.value);
          setChoice(null);
        }}
        data-testid="album-name"
      />
      <div className="album-choices" role="radiogroup" aria-label="Albums">
        {offerNew ? (
          <AlbumChoice id={NEW} name={`New album “${name}”`} detail="Created with these photos" checked={selected === NEW} onChoose={setChoice} />
        ) : null}
        {albums === null && !loadError ? <p className="muted">Loading albums…</p> : null}
        {loadError ? <p className="form-error">{loadError}</p> : null}
        {shown.map((album) => (
          <AlbumChoice
            key={album.id}
            id={album.id}
            name={album.name}
            detail={`${photosAndVideos(album.photoCount, album.videoCount)}${album.kind === 'auto' ? ' · automatic' : ''}`}
            cover={album.coverPhotoId}
            checked={selected === album.id}
            onChoose={setChoice}
          />
        ))}
        {albums !== null && albums.length === 0 && !offerNew ? <p className="muted">No albums yet: type a name to make the first.</p> : null}
      </div>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </Dialog>
  );
}

function AlbumChoice({
  id,
  name,
  detail,
  cover,
  checked,
  onChoose,
}: {
  id: string;
  name: string;
  detail: string;
  cover?: string | null;
  checked: boolean;
  onChoose: (id: string) => void;
}) {
  return (
    <label className={`album-choice${checked ? ' album-choice-checked' : ''}`}>
      <input type="radio" name="album" value={id} checked={checked} onChange={() => onChoose(id)} />
      {cover ? (
        <img src={photoUrls.thumbnail(cover)} alt="" className="album-choice-cover" loading="lazy" />
      ) : (
        <span className="album-choice-cover album-choice-empty" aria-hidden="true">
          {id === NEW ? '+' : null}
        </span>
      )}
      <span className="album-choice-text">
        <span className="album-choice-name">{name}</span>
        <span className="album-choice-detail">{detail}</span>
      </span>
    </label>
  );
}
