import { useEffect, useId, useState } from 'react';
import { createAlbum, type AlbumSummary } from '../../client/albums.js';
import { useAction } from '../../hooks/useAction.js';
import { FormDialog } from '../editing/FormDialog.js';

interface Props {
  open: boolean;
  /** Photos to put in the new album at once (from a selection). */
  photoIds?: string[];
  onCreated: (album: AlbumSummary) => void;
  onCancel: () => void;
}

/** "New album": a name (required) and an optional description; the album may start with photos. */
export function CreateAlbumDialog({ open, photoIds, onCreated, onCancel }: Props) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const { busy, error, setError, run } = useAction();
  const nameId = useId();
  const descriptionId = useId();
  const hintId = useId();

  useEffect(() => {
    if (!open) return;
    setName('');
    setDescription('');
    setError(null);
  }, [open, setError]);

  const submit = () =>
    run(async () => {
      const album = await createAlbum({
        name: name.trim(),
        description: description.trim() || null,
        photoIds: photoIds?.length ? photoIds : undefined,
      });
      onCreated(album);
    });

  const count = photoIds?.length ?? 0;
  return (
    <FormDialog
      open={open}
      title="New album"
      submitLabel={count > 0 ? `Create with ${count} ${count === 1 ? 'item' : 'items'}` : 'Create album'}
      canSubmit={name.trim().length > 0 && name.trim().length <= 200}
      busy={busy}
      error={error}
      onSubmit={() => void submit()}
      onCancel={onCancel}
    >
      <div className="dialog-field">
        <label htmlFor={nameId}>Name</label>
        <input
          id={nameId}
          type="text"
          value={name}
          maxLength={200}
          required
          autoFocus
          autoComplete="off"
          placeholder="Summer in Lisbon"
          aria-describedby={hintId}
          onChange={(event) => setName(event.target.value)}
        />
        <span id={hintId} className="hint">
          {count > 0 ? 'The selected photos go in it at once.' : 'Add photos afterwards: select them in the gallery and choose Add to album.'}
        </span>
      </div>
      <div className="dialog-field">
        <label htmlFor={descriptionId}>
          Description <span className="muted">(optional)</span>
        </label>
        <textarea id={descriptionId} value={description} maxLength={10_000} onChange={(event) => setDescription(event.target.value)} />
      </div>
    </FormDialog>
  );
}
