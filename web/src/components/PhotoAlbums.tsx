import { useEffect, useId, useState, type FormEvent } from 'react';
import { addPhotosToAlbum, createAlbum, listAllAlbums, type AlbumSummary } from '../client/albums.js';
import { photoLinks, type PhotoAlbumRef } from '../client/photo.js';
import { useAction } from '../hooks/useAction.js';
import { Link } from '../lib/router.js';

interface Props {
  photoId: string;
  albums: readonly PhotoAlbumRef[];
  /** After the photo was added to an album: says which, for the page's status line. */
  onAdded: (message: string) => void;
}

const NEW = '__new__';

/** The albums the photo is in (links), and adding it to another one or to a new album. */
export function PhotoAlbums({ photoId, albums, onAdded }: Props) {
  const [adding, setAdding] = useState(false);
  return (
    <section className="info-section" aria-labelledby="albums-title" data-testid="albums">
      <h2 id="albums-title">Albums</h2>
      {albums.length > 0 ? (
        <ul className="chips" aria-label="Albums this photo is in">
          {albums.map((album) => (
            <li key={album.id}>
              <Link to={photoLinks.album(album.id)} className="chip chip-link chip-album" data-testid="album-link">
                {album.name}
                {album.kind === 'auto' ? <span className="chip-note"> · automatic</span> : null}
              </Link>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">Not in any album yet.</p>
      )}
      {adding ? (
        <AddToAlbumForm
          photoId={photoId}
          exclude={new Set(albums.map((a) => a.id))}
          onDone={(message) => {
            setAdding(false);
            if (message) onAdded(message);
          }}
        />
      ) : (
        <button type="button" className="button button-small albums-add" onClick={() => setAdding(true)} data-testid="add-to-album">
          Add to album…
        </button>
      )}
    </section>
  );
}

function AddToAlbumForm({ photoId, exclude, onDone }: { photoId: string; exclude: ReadonlySet<string>; onDone: (message: string | null) => void }) {
  const ids = useId();
  const [choices, setChoices] = useState<AlbumSummary[] | null>(null);
  const [choice, setChoice] = useState('');
  const [name, setName] = useState('');
  const { busy, error, setError, run } = useAction();

  useEffect(() => {
    const controller = new AbortController();
    listAllAlbums(undefined, controller.signal)
      .then((all) => {
        const open = all.filter((album) => !exclude.has(album.id));
        setChoices(open);
        setChoice(open.find((album) => album.kind === 'manual')?.id ?? NEW);
      })
      .catch((e: unknown) => {
        if (controller.signal.aborted) return;
        setChoices([]);
        setChoice(NEW);
        setError(`The albums could not be loaded: ${e instanceof Error ? e.message : String(e)}`);
      });
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `exclude` is read once, when the form opens
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (choice === NEW && !name.trim()) {
      setError('Give the new album a name.');
      return;
    }
    await run(async () => {
      if (choice === NEW) {
        const album = await createAlbum({ name: name.trim(), photoIds: [photoId] });
        onDone(`Added to the new album ${album.name}`);
      } else {
        const { album } = await addPhotosToAlbum(choice, [photoId]);
        onDone(`Added to ${album.name}`);
      }
    });
  };

  const manual = choices?.filter((album) => album.kind === 'manual') ?? [];
  const auto = choices?.filter((album) => album.kind !== 'manual') ?? [];
  return (
    <form className="album-form" onSubmit={(event) => void submit(event)} aria-busy={busy} data-testid="album-form">
      <label htmlFor={`${ids}-album`} className="field-label">
        Add to
      </label>
      <select id={`${ids}-album`} className="input" value={choice} onChange={(event) => setChoice(event.target.value)} disabled={busy || choices === null}>
        {choices === null ? <option value="">Loading albums…</option> : null}
        {manual.length > 0 ? (
          <optgroup label="Your albums">
            {manual.map((album) => (
              <option key={album.id} value={album.id}>
                {album.name}
              </option>
            ))}
          </optgroup>
        ) : null}
        {auto.length > 0 ? (
          <optgroup label="Automatic albums">
            {auto.map((album) => (
              <option key={album.id} value={album.id}>
                {album.name}
              </option>
            ))}
          </optgroup>
        ) : null}
        {choices !== null ? <option value={NEW}>New album…</option> : null}
      </select>
      {choice === NEW ? (
        <>
          <label htmlFor={`${ids}-name`} className="field-label">
            Name of the new album
          </label>
          <input
            id={`${ids}-name`}
            className="input"
            value={name}
            maxLength={200}
            onChange={(event) => setName(event.target.value)}
            disabled={busy}
            autoFocus
            data-testid="album-name"
          />
        </>
      ) : null}
      {error ? (
        <p className="banner banner-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="album-form-actions">
        <button type="button" className="button button-small" onClick={() => onDone(null)} disabled={busy}>
          Cancel
        </button>
        <button type="submit" className="button button-primary button-small" disabled={busy || choices === null} data-testid="album-add-confirm">
          {busy ? 'Adding…' : 'Add'}
        </button>
      </div>
    </form>
  );
}
