// The editor's state on the photo page: open or not, saving, the server's refusal, and the edit before the last
// one saved here, for Undo.
import { useState } from 'react';
import { ApiError, renditionsChanged } from '../../api.js';
import { savePhotoEdit, type PhotoEdit, type PhotoFull } from '../../client/photo.js';

export function usePhotoEdit(photo: PhotoFull, { onChanged, setStatus }: { onChanged: () => void; setStatus: (message: string) => void }) {
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** The edit before the last save here (undefined: nothing to undo). */
  const [previous, setPrevious] = useState<PhotoEdit | null | undefined>(undefined);

  const apply = async (edit: PhotoEdit | null, message: string) => {
    setSaving(true);
    setError(null);
    try {
      const answer = await savePhotoEdit(photo.id, edit);
      if (answer.changed) renditionsChanged(photo.id);
      setStatus(answer.changed ? message : 'Nothing changed.');
      onChanged();
      return true;
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
      return false;
    } finally {
      setSaving(false);
    }
  };

  return {
    open,
    setOpen: (value: boolean) => {
      setError(null);
      setOpen(value);
    },
    saving,
    error,
    canUndo: previous !== undefined,
    async save(edit: PhotoEdit | null) {
      const before = photo.edit ?? null;
      if (await apply(edit, edit ? 'Edited: the photo is being made again from the edit.' : 'Back to the original.')) {
        setPrevious(before);
        setOpen(false);
      }
    },
    async undo() {
      if (previous === undefined) return;
      if (await apply(previous, 'Edit undone.')) setPrevious(undefined);
    },
  };
}
